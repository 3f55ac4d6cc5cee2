using System.CommandLine;
using MassTransit;
using OrderProcessor.Audit;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.Cli.Infrastructure;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders audit checkpoint</c>: takes a signed checkpoint now, as the processor does every interval, with the same
/// settings (<c>Audit__Checkpoints__SigningKeyFile</c>, <c>__Directory</c>, <c>__Exchange</c>) or flags. Prints the
/// checkpoint's JSON line on standard output.
/// </summary>
public static class AuditCheckpointCommand
{
    public static Command Create()
    {
        var keyFile = new Option<FileInfo?>("--key-file") { Description = "The Ed25519 signing key (PEM). Default: Audit__Checkpoints__SigningKeyFile." };
        var toDir = new Option<DirectoryInfo?>("--to-dir") { Description = $"Append the checkpoint to {CheckpointFile.FileName} in this directory. Default: Audit__Checkpoints__Directory." };
        var exchange = new Option<string?>("--exchange") { Description = $"Also send it to this fanout exchange. Default: Audit__Checkpoints__Exchange, else {OutboxReplayer.DefaultExchange}." };
        var noExchange = new Option<bool>("--no-exchange") { Description = "Do not send it to an exchange (only the file)." };
        var wait = new Option<int>("--wait")
        {
            Description = "Seconds to keep trying while another processor is taking one or an outbox write transaction stays open.",
            DefaultValueFactory = _ => 30,
        };

        var command = new Command("checkpoint",
            "Sign a checkpoint of the outbox now: its latest settled sequence and the digest of every chain head up to it, appended to the checkpoint file " +
            "and sent to the audit exchange. Exit 1 when for all of --wait another processor held the lock or an outbox write transaction stayed open.")
        {
            keyFile, toDir, exchange, noExchange, wait,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configured = new AuditCheckpointOptions();
            new ConfigurationBuilder().AddEnvironmentVariables().Build().GetSection(AuditCheckpointOptions.Section).Bind(configured);
            var key = parse.GetValue(keyFile)?.FullName ?? configured.SigningKeyFile;
            var directory = parse.GetValue(toDir)?.FullName ?? configured.Directory;
            var target = parse.GetValue(noExchange) ? null : parse.GetValue(exchange) ?? configured.Exchange;
            var console = ConsoleFor.Messages(stdoutCarriesData: true);
            var problem = (key, directory) switch
            {
                (null or "", _) when string.IsNullOrWhiteSpace(configured.SigningKey) => "name the signing key: --key-file or Audit__Checkpoints__SigningKeyFile",
                ({ Length: > 0 }, _) when !File.Exists(key) => $"the signing key file {key} does not exist",
                (_, null or "") => "name the directory: --to-dir or Audit__Checkpoints__Directory",
                _ when !string.IsNullOrEmpty(target) && !OutboxReplayer.IsValidExchangeName(target) => $"'{target}' is not a valid exchange name",
                _ => null,
            };
            if (problem is not null)
            {
                console.MarkupLineInterpolated($"[red]{problem}[/]");
                return ExitCodes.Usage;
            }

            CheckpointSigningKey signingKey;
            try
            {
                signingKey = CheckpointSigningKey.FromPem(string.IsNullOrEmpty(key) ? configured.SigningKey! : await File.ReadAllTextAsync(key, cancellationToken));
            }
            catch (Exception exception) when (exception is FormatException or IOException or UnauthorizedAccessException)
            {
                var source = string.IsNullOrEmpty(key) ? "Audit__Checkpoints__SigningKey" : $"--key-file ({key})";
                console.MarkupLineInterpolated($"[red]{source} is not an Ed25519 private key in PEM: {exception.Message}[/]");
                return ExitCodes.Usage;
            }

            var settings = CliSettings.Load();
            var checkpointer = new AuditCheckpointer(settings.ConnectionString, signingKey, TimeProvider.System);
            var deadline = DateTime.UtcNow.AddSeconds(Math.Max(0, parse.GetValue(wait)));
            CheckpointAttempt attempt;
            var file = string.Empty;
            Func<AuditCheckpoint, CancellationToken, Task> write = async (taken, token) => file = await AuditCheckpointPublisher.WriteFileAsync(directory!, taken, token);
            while ((attempt = await CliErrors.OnDatabaseAsync(settings, () => checkpointer.TakeAsync(configured.LockTimeout, write, cancellationToken))).Checkpoint is null
                   && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, cancellationToken);
            }

            if (attempt.Checkpoint is not { } checkpoint)
            {
                console.MarkupLine(attempt.Skip == CheckpointSkip.WritersInFlight
                    ? "[red]an outbox write transaction stayed open all along (longer than Audit__Checkpoints__LockTimeout each try): no checkpoint taken[/]"
                    : "[red]another processor held the checkpoint lock all along: no checkpoint taken[/]");
                return ExitCodes.Failed;
            }

            if (!string.IsNullOrEmpty(target))
            {
                await using var bus = await CliBus.StartAsync(settings, null, cancellationToken);
                await AuditCheckpointPublisher.SendAsync(bus.Bus(), target, checkpoint, cancellationToken);
            }

            Console.Out.WriteLine(checkpoint.ToJsonLine());
            console.MarkupLineInterpolated(
                $"[green]checkpoint signed[/] at outbox sequence {checkpoint.Sequence} ({checkpoint.Chains} order chains, {checkpoint.Standalone} standalone rows, key {checkpoint.KeyId}): {file}{(string.IsNullOrEmpty(target) ? string.Empty : $" and exchange {target}")}");
            return ExitCodes.Success;
        });
        return command;
    }
}

using System.CommandLine;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.Cli.Infrastructure;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders audit keygen</c>: a new Ed25519 key pair for checkpoints, as PEM files the same as
/// <c>openssl genpkey -algorithm ed25519</c> and <c>openssl pkey -pubout</c> write. The private key file is readable by
/// its owner only; never overwritten.
/// </summary>
public static class AuditKeygenCommand
{
    public const string PrivateKeyName = "checkpoint-signing.pem";
    public const string PublicKeyName = "checkpoint-verify.pem";

    public static Command Create()
    {
        var outDir = new Option<DirectoryInfo>("--out-dir") { Description = "Where to write the key pair.", Required = true };
        var command = new Command("keygen",
            $"Make an Ed25519 key pair for signed checkpoints: {PrivateKeyName} (for the processor, Audit__Checkpoints__SigningKeyFile; owner-only) " +
            $"and {PublicKeyName} (for the auditor, `orders audit verify --public-key`). Prints the key id.")
        {
            outDir,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(outDir)!;
            var privatePath = Path.Combine(directory.FullName, PrivateKeyName);
            var publicPath = Path.Combine(directory.FullName, PublicKeyName);
            if (File.Exists(privatePath) || File.Exists(publicPath))
            {
                ConsoleFor.Messages(stdoutCarriesData: true).MarkupLineInterpolated($"[red]{directory.FullName} already holds a key pair: not overwritten[/]");
                return ExitCodes.Usage;
            }

            directory.Create();
            var key = CheckpointSigningKey.Generate();
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var writer = new StreamWriter(privatePath, options))
            {
                await writer.WriteAsync(key.ToPem().AsMemory(), cancellationToken);
            }

            await File.WriteAllTextAsync(publicPath, key.PublicKey.ToPem(), cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"[green]key {key.KeyId}[/]: signing key {privatePath} (keep it secret, give it to the processor), public key {publicPath} (give it to the auditors)");
            return ExitCodes.Success;
        });
        return command;
    }
}

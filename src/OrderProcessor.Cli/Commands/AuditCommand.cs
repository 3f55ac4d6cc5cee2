using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OrderProcessor.Audit;
using OrderProcessor.Audit.Checkpoints;
using OrderProcessor.Cli.Infrastructure;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders audit verify</c>: recomputes the outbox's hash chains (in PostgreSQL or in a JSON-lines file) and names every
/// break, and checks the signed checkpoints against them; <c>audit checkpoint</c> and <c>audit keygen</c> take and key them.
/// </summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var fromFile = new Option<FileInfo?>("--from-file", "-f") { Description = "Verify a JSON-lines file written by `orders replay --to-file` instead of the database." };
        var partial = new Option<bool>("--partial")
        {
            Description = "The file is a partial export (a time or sequence range): an order's chain may start after its first event. Links within it are still checked.",
        };
        var checkpoints = new Option<FileSystemInfo?>("--checkpoints")
        {
            Description = "Also check the signed checkpoints of this file or directory (*.jsonl, as the processor writes them): every signature, and that the " +
                "chain heads up to each checkpoint's sequence still give its digest. Needs --public-key.",
        };
        var publicKey = new Option<FileInfo?>("--public-key") { Description = "The Ed25519 public key (PEM) the checkpoints are verified with." };
        var tolerance = new Option<int>("--backdate-tolerance")
        {
            Description = "With --checkpoints: seconds a row's created_at may lie before the takenAt of a checkpoint it comes after before it is called back-dated.",
            DefaultValueFactory = _ => (int)CheckpointAuditor.DefaultBackdateTolerance.TotalSeconds,
        };
        var json = new Option<bool>("--json") { Description = "Print the outcome as one JSON document (no progress, no table); the exit code is the same." };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows read from PostgreSQL per page.", DefaultValueFactory = _ => 10_000 };
        var maxShown = new Option<int>("--show") { Description = "Breaks listed in the table (all are counted).", DefaultValueFactory = _ => 200 };

        var verify = new Command("verify",
            "Recompute every order's hash chain of the outbox: each row's hash, its link to the previous event of its order, sequence numbers 1..n " +
            "and the chain's end against the order row; with --checkpoints, also check the signed checkpoints against the database. " +
            "Lists every break by order id and sequence and every checkpoint that fails; exit code 1 when there is any.")
        {
            fromFile, partial, checkpoints, publicKey, tolerance, json, batchSize, maxShown,
        };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(fromFile);
            var size = parse.GetValue(batchSize);
            var checkpointPath = parse.GetValue(checkpoints);
            var keyFile = parse.GetValue(publicKey);
            var asJson = parse.GetValue(json);
            var errors = ConsoleFor.Messages(stdoutCarriesData: true);
            var problem = size switch
            {
                < 1 or > 1_000_000 => "--batch-size must be between 1 and 1000000",
                _ when parse.GetValue(tolerance) < 0 => "--backdate-tolerance must be 0 or more seconds",
                _ when file is { Exists: false } => $"--from-file: {file.FullName} does not exist",
                _ when file is null && parse.GetValue(partial) => "--partial applies to --from-file only: the database always holds whole chains",
                _ when (checkpointPath is null) != (keyFile is null) => "--checkpoints and --public-key go together",
                _ when checkpointPath is { Exists: false } => $"--checkpoints: {checkpointPath.FullName} does not exist",
                _ when keyFile is { Exists: false } => $"--public-key: {keyFile.FullName} does not exist",
                _ when checkpointPath is not null && parse.GetValue(partial) => "--checkpoints needs the whole outbox: not with --partial",
                _ => null,
            };
            if (problem is not null)
            {
                errors.MarkupLineInterpolated($"[red]{problem}[/]");
                return ExitCodes.Usage;
            }

            IReadOnlyList<AuditCheckpoint>? signed = null;
            CheckpointVerifyingKey? key = null;
            if (checkpointPath is not null && keyFile is not null)
            {
                try
                {
                    key = CheckpointVerifyingKey.FromPem(await File.ReadAllTextAsync(keyFile.FullName, cancellationToken));
                }
                catch (Exception exception) when (exception is FormatException or IOException or UnauthorizedAccessException)
                {
                    errors.MarkupLineInterpolated($"[red]--public-key: {keyFile.FullName} is not an Ed25519 public key in PEM: {exception.Message}[/]");
                    return ExitCodes.Usage;
                }

                try
                {
                    signed = await CheckpointFile.ReadAsync(checkpointPath.FullName, cancellationToken);
                }
                catch (FormatException exception)
                {
                    // A checkpoint line that does not parse is a finding about the checkpoints, not a usage error.
                    errors.MarkupLineInterpolated($"[red]--checkpoints: {exception.Message}[/]");
                    return ExitCodes.Failed;
                }
            }

            var options = new AuditVerifierOptions { ChainsMayStartLater = parse.GetValue(partial) };
            var settings = CliSettings.Load();
            var source = file?.FullName ?? settings.DatabaseDescription;
            var stopwatch = Stopwatch.StartNew();
            AuditReport report;
            CheckpointReport? checkpointReport = null;
            try
            {
                report = await CliErrors.OnDatabaseAsync(settings, () => WithProgressAsync(asJson, file is null ? "verifying " + settings.DatabaseDescription : "verifying " + file.Name,
                    progress => file is null
                        ? OutboxAuditor.VerifyDatabaseAsync(new OutboxRowSource(settings.ConnectionString, size), progress, cancellationToken, options)
                        : VerifyFileAsync(file, progress, options, cancellationToken)));
                if (signed is not null && key is not null)
                {
                    checkpointReport = await CliErrors.OnDatabaseAsync(settings, () => VerifyCheckpointsAsync(signed, key, file, settings, size,
                        TimeSpan.FromSeconds(parse.GetValue(tolerance)), cancellationToken));
                }
            }
            catch (FormatException exception)
            {
                errors.MarkupLineInterpolated($"[red]{file?.Name}: {exception.Message}[/]");
                return ExitCodes.Failed;
            }

            if (asJson)
            {
                AuditVerifyJson.Write(Console.OpenStandardOutput(), report, checkpointReport, source, stopwatch.Elapsed);
            }
            else
            {
                Print(report, source, stopwatch.Elapsed, parse.GetValue(maxShown));
                if (checkpointReport is not null)
                {
                    Print(checkpointReport, parse.GetValue(maxShown));
                }
            }

            return report.IsIntact && checkpointReport?.IsIntact != false ? ExitCodes.Success : ExitCodes.Failed;
        });

        var audit = new Command("audit", "The audit trail: the retained, hash-chained outbox and its signed checkpoints.");
        audit.Add(verify);
        audit.Add(AuditCheckpointCommand.Create());
        audit.Add(AuditKeygenCommand.Create());
        return audit;
    }

    private static Task<CheckpointReport> VerifyCheckpointsAsync(IReadOnlyList<AuditCheckpoint> signed, CheckpointVerifyingKey key, FileInfo? file,
        CliSettings settings, int batchSize, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            var rows = new OutboxRowSource(settings.ConnectionString, batchSize).ReadAsync(new OutboxSelection { FromSequence = 0 }, cancellationToken);
            return CheckpointAuditor.VerifyAsync(signed, key, rows, cancellationToken, tolerance);
        }

        return VerifyCheckpointsInFileAsync(signed, key, file, tolerance, cancellationToken);
    }

    private static async Task<CheckpointReport> VerifyCheckpointsInFileAsync(IReadOnlyList<AuditCheckpoint> signed, CheckpointVerifyingKey key, FileInfo file,
        TimeSpan tolerance, CancellationToken cancellationToken)
    {
        using var reader = file.OpenText();
        return await CheckpointAuditor.VerifyAsync(signed, key, OutboxJsonLines.ReadAsync(reader, cancellationToken), cancellationToken, tolerance);
    }

    private static async Task<AuditReport> VerifyFileAsync(FileInfo file, Action<AuditProgress> progress, AuditVerifierOptions options, CancellationToken cancellationToken)
    {
        using var reader = file.OpenText();
        return await OutboxAuditor.VerifyRowsAsync(OutboxJsonLines.ReadAsync(reader, cancellationToken), progress, cancellationToken, options);
    }

    private static async Task<AuditReport> WithProgressAsync(bool quiet, string description, Func<Action<AuditProgress>, Task<AuditReport>> run) =>
        quiet ? await run(_ => { }) : await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: 1);
                task.IsIndeterminate = true;
                var report = await run(progress =>
                {
                    if (progress.TotalRows is { } total)
                    {
                        task.IsIndeterminate = false;
                        task.MaxValue = Math.Max(1, total);
                    }

                    task.Value = Math.Min(progress.RowsDone, task.MaxValue);
                    task.Description = Markup.Escape($"{description}: {progress.RowsDone:N0} rows, {progress.BreaksFound:N0} breaks");
                });
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.StopTask();
                return report;
            });

    private static void Print(AuditReport report, string source, TimeSpan elapsed, int maxShown)
    {
        var rate = elapsed.TotalSeconds > 0 ? report.RowsChecked / elapsed.TotalSeconds : 0;
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{report.RowsChecked:N0} rows ({report.ChainsChecked:N0} order chains, {report.StandaloneRows:N0} standalone) in {elapsed.TotalSeconds:F1} s ({rate:N0} rows/s)");
        if (report.IsIntact)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]intact[/]: {source}: {summary}");
            return;
        }

        var table = new Table().AddColumns("order id", "order seq", "outbox seq", "break", "what is wrong");
        foreach (var item in report.Breaks.Take(Math.Max(0, maxShown)))
        {
            table.AddRow(item.OrderId.ToString(), item.OrderSequence.ToString(CultureInfo.InvariantCulture), item.OutboxSequence.ToString(CultureInfo.InvariantCulture),
                item.Kind.ToString(), Markup.Escape(item.Description));
        }

        AnsiConsole.Write(table);
        var hidden = report.BreakCount - Math.Min(report.Breaks.Count, Math.Max(0, maxShown));
        if (hidden > 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{hidden:N0} more break(s) not listed (--show)[/]");
        }

        var orders = report.Breaks.Select(b => b.OrderId).Distinct().Count();
        var ordersText = report.BreaksOmitted > 0 ? $"at least {orders:N0} order(s)" : $"{orders:N0} order(s)";
        AnsiConsole.MarkupLineInterpolated($"[red]BROKEN[/]: {source}: {report.BreakCount:N0} break(s) in {ordersText}; {summary}");
    }

    private static void Print(CheckpointReport report, int maxShown)
    {
        if (report.Checks.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]CHECKPOINTS FAIL[/]: {CheckpointReport.NoCheckpointReason}");
            return;
        }

        PrintBackdated(report, maxShown);
        var first = report.Checks[0].Checkpoint;
        var last = report.Checks[^1].Checkpoint;
        var span = $"{report.Checks.Count:N0} checkpoint(s), outbox sequence {first.Sequence} ({first.TakenAt}) .. {last.Sequence} ({last.TakenAt})";
        if (report.IsIntact)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]checkpoints hold[/]: {span}: every signature verifies and the database gives every signed digest");
            return;
        }

        var table = new Table().AddColumns("checkpoint seq", "taken at", "failure", "what is wrong");
        foreach (var check in report.Failures.Take(Math.Max(0, maxShown)))
        {
            table.AddRow(check.Checkpoint.Sequence.ToString(CultureInfo.InvariantCulture), check.Checkpoint.TakenAt, check.Failure.ToString()!,
                Markup.Escape(check.Description ?? string.Empty));
        }

        if (report.Failures.Any())
        {
            AnsiConsole.Write(table);
        }

        var failed = report.Failures.Count();
        var holding = report.LastHoldingBeforeFirstFailure;
        var since = failed == 0
            ? "every checkpoint holds by itself"
            : holding is null
            ? "the first checkpoint already fails"
            : $"history up to outbox sequence {holding.Checkpoint.Sequence} is as signed; the first failing checkpoint is at {report.Failures.First().Checkpoint.Sequence}";
        var backdated = report.BackdatedCount > 0 ? $"; {report.BackdatedCount:N0} back-dated row(s)" : string.Empty;
        AnsiConsole.MarkupLineInterpolated($"[red]CHECKPOINTS FAIL[/]: {failed:N0} of {span}; {since}{backdated}");
    }

    private static void PrintBackdated(CheckpointReport report, int maxShown)
    {
        if (report.BackdatedCount == 0)
        {
            return;
        }

        var table = new Table().AddColumns("outbox seq", "order id", "order seq", "created at", "after checkpoint", "taken at");
        foreach (var row in report.Backdated.Take(Math.Max(0, maxShown)))
        {
            table.AddRow(row.OutboxSequence.ToString(CultureInfo.InvariantCulture), row.OrderId.ToString(), row.OrderSequence.ToString(CultureInfo.InvariantCulture),
                AuditCheckpoint.FormatTime(row.CreatedAt), row.CheckpointSequence.ToString(CultureInfo.InvariantCulture), row.CheckpointTakenAt);
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLineInterpolated(
            $"[red]BACK-DATED[/]: {report.BackdatedCount:N0} row(s) come after a checkpoint but are dated more than {report.BackdateTolerance.TotalSeconds:N0} s before it was taken: inserted later with an old created_at");
    }
}

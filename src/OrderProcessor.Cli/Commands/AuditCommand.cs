using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OrderProcessor.Audit;
using OrderProcessor.Cli.Infrastructure;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders audit verify</c>: recomputes the outbox's hash chains (in PostgreSQL or in a JSON-lines file) and names every break.</summary>
public static class AuditCommand
{
    public static Command Create()
    {
        var fromFile = new Option<FileInfo?>("--from-file", "-f") { Description = "Verify a JSON-lines file written by `orders replay --to-file` instead of the database." };
        var partial = new Option<bool>("--partial")
        {
            Description = "The file is a partial export (a time or sequence range): an order's chain may start after its first event. Links within it are still checked.",
        };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows read from PostgreSQL per page.", DefaultValueFactory = _ => 10_000 };
        var maxShown = new Option<int>("--show") { Description = "Breaks listed in the table (all are counted).", DefaultValueFactory = _ => 200 };

        var verify = new Command("verify",
            "Recompute every order's hash chain of the outbox: each row's hash, its link to the previous event of its order, sequence numbers 1..n " +
            "and the chain's end against the order row. Lists every break by order id and sequence; exit code 1 when there is any.")
        {
            fromFile, partial, batchSize, maxShown,
        };
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(fromFile);
            var size = parse.GetValue(batchSize);
            if (size is < 1 or > 1_000_000)
            {
                AnsiConsole.MarkupLine("[red]--batch-size must be between 1 and 1000000[/]");
                return ExitCodes.Usage;
            }

            if (file is { Exists: false })
            {
                AnsiConsole.MarkupLineInterpolated($"[red]--from-file: {file.FullName} does not exist[/]");
                return ExitCodes.Usage;
            }

            if (file is null && parse.GetValue(partial))
            {
                AnsiConsole.MarkupLine("[red]--partial applies to --from-file only: the database always holds whole chains[/]");
                return ExitCodes.Usage;
            }

            var options = new AuditVerifierOptions { ChainsMayStartLater = parse.GetValue(partial) };
            var settings = CliSettings.Load();
            var source = file?.FullName ?? settings.DatabaseDescription;
            var stopwatch = Stopwatch.StartNew();
            AuditReport report;
            try
            {
                report = await CliErrors.OnDatabaseAsync(settings, () => WithProgressAsync(file is null ? "verifying " + settings.DatabaseDescription : "verifying " + file.Name,
                    progress => file is null
                        ? OutboxAuditor.VerifyDatabaseAsync(new OutboxRowSource(settings.ConnectionString, size), progress, cancellationToken, options)
                        : VerifyFileAsync(file, progress, options, cancellationToken)));
            }
            catch (FormatException exception)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{file?.Name}: {exception.Message}[/]");
                return ExitCodes.Failed;
            }

            Print(report, source, stopwatch.Elapsed, parse.GetValue(maxShown));
            return report.IsIntact ? ExitCodes.Success : ExitCodes.Failed;
        });

        var audit = new Command("audit", "The audit trail: the retained, hash-chained outbox.");
        audit.Add(verify);
        return audit;
    }

    private static async Task<AuditReport> VerifyFileAsync(FileInfo file, Action<AuditProgress> progress, AuditVerifierOptions options, CancellationToken cancellationToken)
    {
        using var reader = file.OpenText();
        return await OutboxAuditor.VerifyRowsAsync(OutboxJsonLines.ReadAsync(reader, cancellationToken), progress, cancellationToken, options);
    }

    private static async Task<AuditReport> WithProgressAsync(string description, Func<Action<AuditProgress>, Task<AuditReport>> run) =>
        await AnsiConsole.Progress()
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
}

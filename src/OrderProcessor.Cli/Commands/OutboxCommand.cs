using System.CommandLine;
using System.Globalization;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Outbox;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders outbox parked</c> lists the outbox rows the relay parked (it cannot publish them as they are), and
/// <c>orders outbox retry</c> hands them back to the relay once the cause is fixed. Rows are never changed otherwise.
/// </summary>
public static class OutboxCommand
{
    public static Command Create()
    {
        var outbox = new Command("outbox", "The retained outbox: rows the relay parked, and retrying them after a fix.");
        outbox.Add(Parked());
        outbox.Add(Retry());
        return outbox;
    }

    private static Command Parked()
    {
        var show = new Option<int>("--show") { Description = "Rows listed (all are counted).", DefaultValueFactory = _ => 200 };
        var command = new Command("parked",
            "List the parked outbox rows: order id, event sequence, type, why, and how many later events of the order wait behind each. " +
            "Exit 0 when there are none, 1 when there are some.") { show };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var limit = parse.GetValue(show);
            if (limit < 1)
            {
                ConsoleFor.Errors.MarkupLine("[red]--show must be at least 1[/]");
                return ExitCodes.Usage;
            }

            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var count = await ParkedOutboxRows.CountAsync(db, cancellationToken);
                if (count == 0)
                {
                    AnsiConsole.MarkupLine("[green]no outbox row is parked[/]");
                    return ExitCodes.Success;
                }

                // One line per row (a table would wrap the ids): easy to read and to grep.
                foreach (var row in await ParkedOutboxRows.ListAsync(db, limit, cancellationToken))
                {
                    AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"outbox seq {row.Sequence}  order {row.OrderId}  event {row.OrderSequence}  {row.MessageType}  parked {row.ParkedAt:u}  attempts {row.Attempts}  {row.HeldBehind} later event(s) wait"));
                    AnsiConsole.WriteLine("    why: " + row.Reason);
                }

                AnsiConsole.MarkupLineInterpolated(
                    $"{count} row(s) parked. Fix the cause (deploy the version that knows the type, raise Outbox:MaxBodyBytes, fix the broker's permissions...), then 'orders outbox retry --sequence N | --order ID | --all'.");
                return ExitCodes.Failed;
            });
        });
        return command;
    }

    private static Command Retry()
    {
        var sequence = new Option<long?>("--sequence") { Description = "The parked row with this outbox sequence." };
        var order = new Option<Guid?>("--order") { Description = "The parked rows of this order." };
        var all = new Option<bool>("--all") { Description = "Every parked row." };
        var command = new Command("retry",
            "Clear the park of outbox rows so the relay publishes them again (in their order's sequence). Parked again if the cause is still there.")
        {
            sequence, order, all,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (bySequence, byOrder, everything) = (parse.GetValue(sequence), parse.GetValue(order), parse.GetValue(all));
            if ((bySequence is not null ? 1 : 0) + (byOrder is not null ? 1 : 0) + (everything ? 1 : 0) != 1)
            {
                ConsoleFor.Errors.MarkupLine("[red]give exactly one of --sequence N, --order ID, --all[/]");
                return ExitCodes.Usage;
            }

            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var released = await ParkedOutboxRows.RetryAsync(db, bySequence, byOrder, cancellationToken);
                if (released == 0)
                {
                    ConsoleFor.Errors.MarkupLine("[yellow]no parked row matched[/]");
                    return ExitCodes.NotFound;
                }

                AnsiConsole.MarkupLineInterpolated($"[green]{released} row(s) handed back to the relay[/]; 'orders outbox parked' shows any that park again.");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}

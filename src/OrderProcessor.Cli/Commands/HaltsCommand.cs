using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Halts;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary><c>orders halts [--history]</c>: the active trading halts (kill switch), or every halt with its resume.</summary>
public static class HaltsCommand
{
    public static Command Create()
    {
        var history = new Option<bool>("--history") { Description = "Also the halts that ended, newest first." };
        var command = new Command("halts", "List the active trading halts (with --history: every halt and its resume).") { history };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var all = parse.GetValue(history);
                var halts = await db.TradingHalts.AsNoTracking().Where(h => all || h.ResumedAt == null)
                    .OrderByDescending(h => h.HaltedAt).ToListAsync(cancellationToken);
                foreach (var halt in halts)
                {
                    var ended = halt.ResumedAt is { } at
                        ? string.Create(CultureInfo.InvariantCulture, $"; resumed {at:u} by {halt.ResumedBy ?? "?"}{(halt.ResumeReason is { } why ? ": " + why : string.Empty)}")
                        : " (active)";
                    var sweep = !halt.CancelWorking ? string.Empty
                        : halt.CancelSweptAt is { } swept ? string.Create(CultureInfo.InvariantCulture, $"; working orders cancelled {swept:u}")
                        : "; cancelling working orders";
                    AnsiConsole.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{halt.HaltId}  {TradingHaltStore.ViewOf(halt).ScopeText}  since {halt.HaltedAt:u} by {halt.HaltedBy ?? "?"}: {halt.Reason}{sweep}{ended}"));
                }

                var active = halts.Count(h => h.ResumedAt is null);
                AnsiConsole.WriteLine(active == 0 ? "no active halt" : $"{active} active halt(s)");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}

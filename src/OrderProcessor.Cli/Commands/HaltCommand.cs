using System.CommandLine;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;
using Spectre.Console;

namespace OrderProcessor.Cli.Commands;

/// <summary>
/// <c>orders halt</c> and <c>orders resume</c> (kill switch): write <c>trading_halts</c> directly, with the
/// <c>TradingHalted</c>/<c>TradingResumed</c> event in the outbox, in one transaction (as the bus commands do). Every
/// running processor honours the halt from its commit on: it reads the table in each decision.
/// Exit codes: 0 done, 2 misuse (no scope or two), 4 nothing to resume, 5 <c>--wait</c> timed out with orders still working.
/// </summary>
public static class HaltCommand
{
    public static Command Create()
    {
        var scope = ScopeOptions.Create();
        var cancelWorking = new Option<bool>("--cancel-working") { Description = "Also cancel every order of the scope that is not final yet (the processors sweep them)." };
        var reason = new Option<string>("--reason") { Description = "Why: kept with the halt, in the event and in every refusal.", Required = true };
        var by = new Option<string?>("--by") { Description = "Who halts (default: the OS user)." };
        var wait = new Option<bool>("--wait") { Description = "Follow until nothing of the scope is working in the processor's orders (orders needing an operator are listed, not waited for)." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds --wait follows before giving up (exit 5).", DefaultValueFactory = _ => 60 };
        var command = new Command("halt", "Halt trading for an account, a user or everyone: new orders are rejected (TradingHalted), accepted ones are not sent, modifies are refused; cancels still work.")
        {
            scope.Account, scope.User, scope.All, cancelWorking, reason, by, wait, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (scope.Read(parse) is not { } chosen)
            {
                return ExitCodes.Usage;
            }

            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                var factory = settings.DbContextFactory();
                var request = new HaltRequest(Guid.NewGuid(), chosen.Scope, chosen.AccountId, chosen.UserId, parse.GetValue(reason)!,
                    parse.GetValue(cancelWorking), parse.GetValue(by) ?? Environment.UserName);
                HaltOutcome outcome;
                await using (var db = await factory.CreateDbContextAsync(cancellationToken))
                {
                    outcome = await WriteAsync(db, (tx, stamp) => TradingHaltCommands.HaltAsync(tx, request, stamp, cancellationToken), cancellationToken);
                }

                if (outcome.Halt is not { } halt)
                {
                    ConsoleFor.Errors.MarkupLineInterpolated($"[red]{outcome.Refusal}[/]");
                    return ExitCodes.Usage;
                }

                var view = TradingHaltStore.ViewOf(halt);
                AnsiConsole.MarkupLine((halt.HaltId == request.HaltId ? "[red]halted[/]" : "already halted") + Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $": {view.ScopeText} since {halt.HaltedAt:u} by {halt.HaltedBy ?? "?"} (halt {halt.HaltId}): {halt.Reason}{(halt.CancelWorking ? "; working orders are being cancelled" : string.Empty)}")));
                return parse.GetValue(wait)
                    ? await WaitAsync(factory, chosen, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))), cancellationToken)
                    : ExitCodes.Success;
            });
        });
        return command;
    }

    public static Command CreateResume()
    {
        var scope = ScopeOptions.Create();
        var reason = new Option<string?>("--reason") { Description = "Why trading resumes." };
        var by = new Option<string?>("--by") { Description = "Who resumes (default: the OS user)." };
        var command = new Command("resume", "End the halt of an account, a user or everyone (exit 4 when it is not halted).") { scope.Account, scope.User, scope.All, reason, by };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (scope.Read(parse) is not { } chosen)
            {
                return ExitCodes.Usage;
            }

            var settings = CliSettings.Load();
            return await CliErrors.OnDatabaseAsync(settings, async () =>
            {
                var request = new ResumeRequest(Guid.NewGuid(), chosen.Scope, chosen.AccountId, chosen.UserId, parse.GetValue(reason),
                    parse.GetValue(by) ?? Environment.UserName);
                await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
                var outcome = await WriteAsync(db, (tx, stamp) => TradingHaltCommands.ResumeAsync(tx, request, stamp, cancellationToken), cancellationToken);
                if (outcome.Halt is not { } halt)
                {
                    ConsoleFor.Errors.MarkupLineInterpolated($"[yellow]{outcome.Refusal}[/]");
                    return ExitCodes.NotFound;
                }

                AnsiConsole.MarkupLine("[green]resumed[/]" + Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $": {TradingHaltStore.ViewOf(halt).ScopeText} (halt {halt.HaltId}, halted {halt.HaltedAt:u})")));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>Runs a halt or resume with its outbox row in one transaction (what the consumers' unit of work does).</summary>
    private static async Task<HaltOutcome> WriteAsync(OrderProcessorDbContext db, Func<OrderProcessorDbContext, EventStamp, Task<HaltOutcome>> change,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var id = Guid.NewGuid();
        var outcome = await change(db, EventStamp.Create(DateTimeOffset.UtcNow, id, id));
        if (outcome.Halt is null)
        {
            // A refusal from the CLI is said on the console; nothing is stored.
            return outcome;
        }

        OutboxWriter.Append(db, outcome.Decision);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    private static async Task<int> WaitAsync(IDbContextFactory<OrderProcessorDbContext> factory, ChosenScope scope, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var open = await HaltScopeOrders.NotFinal(db, scope.Scope, scope.AccountId, scope.UserId).AsNoTracking()
                .Select(o => new { o.OrderId, o.Status }).ToListAsync(cancellationToken);
            var working = open.Count(o => o.Status != OrderStatus.NeedsAttention);
            if (working == 0)
            {
                foreach (var order in open)
                {
                    AnsiConsole.MarkupLineInterpolated($"[yellow]needs an operator (not cancelled by the halt): {order.OrderId}[/]");
                }

                AnsiConsole.MarkupLineInterpolated($"nothing of the scope is working ({open.Count} need(s) an operator)");
                return ExitCodes.Success;
            }

            if (DateTimeOffset.UtcNow >= until)
            {
                ConsoleFor.Errors.MarkupLineInterpolated($"[yellow]{working} order(s) of the scope still not final after {timeout.TotalSeconds:F0} s[/]");
                return ExitCodes.Timeout;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Demo;

/// <summary>The demo's closing tables, every figure read back from PostgreSQL, the subscriber and the simulator's ledger.</summary>
public sealed class DemoSummary(CliSettings settings, SimulatorClient simulator)
{
    public async Task<int> PrintAsync(DemoScenario scenario, IReadOnlyDictionary<Guid, OrderStatus> expected, EventStream stream, bool settledInTime,
        IReadOnlyDictionary<string, long> callsBefore, CancellationToken cancellationToken)
    {
        await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
        var ids = expected.Keys.ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToListAsync(cancellationToken);
        var outbox = await db.Outbox.AsNoTracking().Where(o => ids.Contains(o.OrderId)).Select(o => new { o.MessageId, o.PublishedAt }).ToListAsync(cancellationToken);
        var received = stream.Events.Where(e => expected.ContainsKey(e.Event.OrderId)).ToList();
        var duplicateDeliveries = received.Count - received.Select(e => e.MessageId).Distinct().Count();
        var receivedIds = received.Select(e => e.MessageId).ToHashSet();
        var clientOrderIds = orders.ToDictionary(o => o.ClientOrderId, o => o);
        var ledger = (await simulator.LedgerAsync(cancellationToken)).Where(l => l.ClientOrderId is not null && clientOrderIds.ContainsKey(l.ClientOrderId)).ToList();
        var duplicatesAtIbkr = ledger.Count - ledger.Select(l => l.ClientOrderId).Distinct().Count();
        var sagasAtIbkr = orders.Where(o => o.BrokerOrderId is not null).Select(o => o.ClientOrderId).Order().ToList();
        var callsAfter = await simulator.CallsByEndpointAsync(cancellationToken);
        var calls = callsAfter.ToDictionary(c => c.Key, c => c.Value - callsBefore.GetValueOrDefault(c.Key)).Where(c => c.Value > 0).ToDictionary();

        var rejectionsNamingTheField = scenario.Orders.Where(d => d.RejectedField is not null).Count(d =>
            received.Select(e => e.Event).OfType<OrderRejected>().Any(r => r.OrderId == d.Command.OrderId && r.Violations.Any(v => v.Field == d.RejectedField)));
        var invalidCommands = scenario.Orders.Count(d => d.RejectedField is not null);
        var asExpected = orders.Count(o => expected[o.OrderId] == o.Status);

        var byState = new Table().Title("orders by final state (PostgreSQL)").AddColumns("state", "orders", "expected");
        foreach (var state in orders.Select(o => o.Status).Concat(expected.Values).Distinct().Order())
        {
            byState.AddRow(state.ToString(), Count(orders.Count(o => o.Status == state)), Count(expected.Values.Count(v => v == state)));
        }

        var byEndpoint = new Table().Title("calls the simulator answered (PiTrade and IBKR)").AddColumns("endpoint", "calls");
        foreach (var (endpoint, count) in calls.OrderByDescending(c => c.Value))
        {
            byEndpoint.AddRow(Markup.Escape(endpoint), Count(count));
        }

        var placements = calls.Where(c => c.Key.StartsWith("POST /v1/api/iserver/account/{accountId}/orders", StringComparison.Ordinal) && !c.Key.EndsWith("whatif", StringComparison.Ordinal)).Sum(c => c.Value);
        var checks = new List<(string Check, bool Passed, string Figures)>
        {
            ("every order reached its expected final state", settledInTime && asExpected == expected.Count, $"{asExpected}/{expected.Count}"),
            ("one saga row per order", orders.Count == expected.Count, $"{orders.Count} rows"),
            ("every outbox row published", outbox.All(o => o.PublishedAt is not null), $"{outbox.Count(o => o.PublishedAt is not null)}/{outbox.Count} events"),
            ("every published event received exactly once", outbox.All(o => receivedIds.Contains(o.MessageId)) && duplicateDeliveries == 0,
                $"{receivedIds.Count} received, {duplicateDeliveries} duplicate deliveries"),
            ("invalid commands rejected naming their field", rejectionsNamingTheField == invalidCommands, $"{rejectionsNamingTheField}/{invalidCommands}"),
            ("orders at IBKR match the sagas one to one", sagasAtIbkr.SequenceEqual(ledger.Select(l => l.ClientOrderId!).Order()),
                $"{ledger.Count} in the ledger, {sagasAtIbkr.Count} sagas with an IBKR order id"),
            ("duplicates at IBKR", duplicatesAtIbkr == 0, Count(duplicatesAtIbkr)),
        };

        var (tickets, ticketChecks) = DemoTicketChecks.Of(scenario.Tickets, orders.ToDictionary(o => o.OrderId, o => o.ClientOrderId), ledger,
            received.Select(e => e.Event).ToList());
        checks.AddRange(ticketChecks);

        var summary = new Table().Title("demo summary").AddColumns("check", "result", "figures");
        foreach (var (check, passed, figures) in checks)
        {
            summary.AddRow(check, passed ? "[green]pass[/]" : "[red]FAIL[/]", figures);
        }

        AnsiConsole.Write(byState);
        AnsiConsole.Write(byEndpoint);
        AnsiConsole.Write(tickets);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"order placements sent to IBKR: {placements} for {ledger.Count} orders at IBKR ({(ledger.Count == 0 ? 0 : (double)placements / ledger.Count):F2} per order; brackets and OCA groups go in one request)");
        AnsiConsole.Write(summary);
        foreach (var order in orders.Where(o => expected[o.OrderId] != o.Status))
        {
            AnsiConsole.MarkupLineInterpolated($"[red]order {order.OrderId} is {order.Status}, expected {expected[order.OrderId]} ({order.LastReason})[/]");
        }

        var allPassed = checks.All(c => c.Passed);
        AnsiConsole.MarkupLine(allPassed ? "[green bold]demo passed[/]" : "[red bold]demo failed[/]");
        return allPassed ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static string Count(long value) => value.ToString(CultureInfo.InvariantCulture);
}

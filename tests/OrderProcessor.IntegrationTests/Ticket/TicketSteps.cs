using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Control;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>The steps the ticket-shape tests share: place, wait, and read what IBKR (the simulator's ledger) got.</summary>
public static class TicketSteps
{
    /// <summary>The simulator's catalog: ES (CME), a future of multiplier 50 (docs/simulator.md, "Instruments").</summary>
    public const int EsFuture = 495512551;

    /// <summary>The simulator's catalog: an AAPL call option of multiplier 100, whole contracts only.</summary>
    public const int AaplCall = 700012345;

    /// <summary>IBKR's EUR.USD on IDEALPRO.</summary>
    public const int EurUsd = 12087792;

    public static async Task<PlaceOrder> PlaceWorkingAsync(this TicketFixture fixture, PlaceOrder command)
    {
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);
        return command;
    }

    /// <summary>The order as IBKR holds it: the ledger entry of its cOID (exactly one).</summary>
    public static LedgerEntry AtIbkr(this TicketFixture fixture, Guid orderId) =>
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{orderId:N}");

    public static async Task<OrderFilled> FilledAsync(this TicketFixture fixture, Guid orderId)
    {
        await fixture.WaitForStatusAsync(orderId, OrderStatus.Filled);
        var events = await fixture.Downstream.WaitForAsync(orderId, e => e.Any(x => x.Event is OrderFilled));
        return events.Select(e => e.Event).OfType<OrderFilled>().Single();
    }

    /// <summary>The order's first OrderRejected (of its own chain, or of a refused modification).</summary>
    public static async Task<OrderRejected> RejectedAsync(this TicketFixture fixture, Guid orderId)
    {
        var events = await fixture.Downstream.WaitForAsync(orderId, e => e.Any(x => x.Event is OrderRejected));
        return events.Select(e => e.Event).OfType<OrderRejected>().First();
    }

    /// <summary>Nothing of the order reached IBKR (given the processor a moment to have sent it, had it meant to).</summary>
    public static async Task AssertNeverAtIbkrAsync(this TicketFixture fixture, Guid orderId)
    {
        await Task.Delay(300);
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{orderId:N}");
    }

    public static string Describe(this LedgerEntry entry) =>
        $"IBKR ledger: {entry.SecType} {entry.Side} {entry.OrderType} conid {entry.Conid} size {entry.Quantity} cashQty {entry.CashQuantity?.ToString() ?? "-"} " +
        $"price {entry.Price?.ToString() ?? "-"} tif {entry.Tif} exchange {entry.Exchange} strategy {entry.Strategy ?? "-"} " +
        $"{(entry.StrategyParameters is null ? "" : string.Join(",", entry.StrategyParameters.Select(p => $"{p.Key}={p.Value}")))} useAdaptive {entry.UseAdaptive} " +
        $"allOrNone {entry.AllOrNone} manualIndicator {entry.ManualIndicator?.ToString() ?? "-"} isCcyConv {entry.IsCcyConv}; " +
        $"{entry.Status} filled {entry.FilledQuantity} avg {entry.AvgPrice?.ToString() ?? "-"} cash {entry.FilledCashAmount}";
}

using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.UnitTests.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// A cash-quantity order has no quantity to compare the executions with: that they cover all of it is read from IBKR's
/// own figures (nothing open), or assumed when IBKR has not said what is open. Either way the report waits for IBKR's
/// status, so one fill is not reported twice (an OrderPartiallyFilled of everything, then an OrderFilled).
/// </summary>
public sealed class When_executions_cover_a_cash_quantity_order_before_its_status(ITestOutputHelper output)
{
    private static LiveOrder Full(OrderSaga order, string status, decimal? total) => new()
    {
        Acct = "DU1234567",
        Conid = "265598",
        OrderId = order.BrokerOrderId,
        OrderRef = order.ClientOrderId,
        Status = status,
        FilledQuantity = 0,
        RemainingQuantity = total,
        TotalSize = total,
        OrderType = "Market",
        Side = "BUY",
        Ticker = "AAPL",
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Should_report_one_OrderFilled_and_no_partial_fill_of_everything(bool ibkrGaveTheTotal)
    {
        var kit = new StreamKit();
        var order = CashQuantityOrders.Working();
        kit.Store.Orders.Add(order);
        var oid = order.BrokerOrderId!;

        await kit.FrameAsync(sor: [Full(order, "Submitted", ibkrGaveTheTotal ? 2.6690m : null)]);
        await kit.FrameAsync(str:
        [
            StreamKit.Execution("e1", oid, 0.3333m, 187.33m, order.ClientOrderId),
            StreamKit.Execution("e2", oid, 2.3357m, 187.33m, order.ClientOrderId),
        ]);
        var afterExecutions = (kit.Store.Find(order.ClientOrderId).Status, kit.Store.Events.Count);
        await kit.FrameAsync(sor: [StreamKit.Delta(oid, "Filled", 2.6690m, 0, 187.33m)]);
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"executions 0.3333 + 2.3357: saga {afterExecutions.Status}, {afterExecutions.Count} event(s); then sor Filled: saga {saga.Status} {saga.FilledQuantity}");

        Assert.Equal((OrderStatus.Working, 0), afterExecutions);
        Assert.Equal((OrderStatus.Filled, 2.6690m), (saga.Status, saga.FilledQuantity));
        Assert.Equal(0, kit.EventsOf<OrderPartiallyFilled>());
        var filled = Assert.Single(kit.Store.Events.OfType<OrderFilled>());
        Assert.Equal((2.6690m, 499.98m), (filled.FilledQuantity, filled.FilledCashAmount!.Value));
    }

    [Fact]
    public async Task Should_still_report_executions_short_of_what_ibkr_says_it_comes_to_at_once()
    {
        var kit = new StreamKit();
        var order = CashQuantityOrders.Working();
        kit.Store.Orders.Add(order);

        await kit.FrameAsync(sor: [Full(order, "Submitted", 2.6690m)]);
        await kit.FrameAsync(str: [StreamKit.Execution("e1", order.BrokerOrderId!, 0.3333m, 187.33m, order.ClientOrderId)]);
        var saga = kit.Store.Find(order.ClientOrderId);

        Assert.Equal((OrderStatus.PartiallyFilled, 0.3333m), (saga.Status, saga.FilledQuantity));
        var partial = Assert.Single(kit.Store.Events.OfType<OrderPartiallyFilled>());
        Assert.Equal((0.3333m, 2.3357m, 62.44m), (partial.FilledQuantity, partial.RemainingQuantity, partial.FilledCashAmount!.Value));
    }
}

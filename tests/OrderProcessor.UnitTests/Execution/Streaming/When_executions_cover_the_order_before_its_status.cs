using OrderProcessor.Contracts;
using Xunit.Abstractions;
using Sagas = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// The executions of an order (<c>str</c>) can cover all of it before IBKR's status says Filled: on a reconnect the
/// replay comes first and the status only with the read after subscribing, and live the two topics are separate frames.
/// Written at once, that would be an OrderPartiallyFilled of everything followed by an OrderFilled: one fill reported
/// twice. It waits for the status.
/// </summary>
public sealed class When_executions_cover_the_order_before_its_status(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_report_one_OrderFilled_and_no_partial_fill_of_everything()
    {
        var kit = new StreamKit();
        var order = Sagas.Working();
        kit.Store.Orders.Add(order);
        var oid = order.BrokerOrderId!;
        var quantity = order.Quantity!.Value;

        await kit.FrameAsync(sor: [StreamKit.Full(order, oid, "Submitted")]);
        await kit.FrameAsync(str: [StreamKit.Execution("e1", oid, quantity, 100m, order.ClientOrderId)]);
        var afterExecutions = (kit.Store.Find(order.ClientOrderId).Status, kit.Store.Events.Count);
        await kit.FrameAsync(sor: [StreamKit.Delta(oid, "Filled", quantity, 0, 100m)]);
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"executions for all {quantity}: saga {afterExecutions.Status}, {afterExecutions.Count} event(s); then sor Filled: saga {saga.Status} {saga.FilledQuantity}; " +
            $"OrderPartiallyFilled {kit.EventsOf<OrderPartiallyFilled>()}, OrderFilled {kit.EventsOf<OrderFilled>()}");

        Assert.Equal((OrderStatus.Working, 0), afterExecutions);
        Assert.Equal((OrderStatus.Filled, quantity), (saga.Status, saga.FilledQuantity));
        Assert.Equal(0, kit.EventsOf<OrderPartiallyFilled>());
        Assert.Equal(1, kit.EventsOf<OrderFilled>());
    }

    [Fact]
    public async Task Should_still_report_executions_short_of_the_whole_order_at_once()
    {
        var kit = new StreamKit();
        var order = Sagas.Working();
        kit.Store.Orders.Add(order);
        var quantity = order.Quantity!.Value;

        await kit.FrameAsync(str: [StreamKit.Execution("e1", order.BrokerOrderId!, quantity - 1, 100m, order.ClientOrderId)]);
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"executions for {quantity - 1} of {quantity}: saga {saga.Status} {saga.FilledQuantity}, OrderPartiallyFilled {kit.EventsOf<OrderPartiallyFilled>()}");

        Assert.Equal((OrderStatus.PartiallyFilled, quantity - 1), (saga.Status, saga.FilledQuantity));
        Assert.Equal(1, kit.EventsOf<OrderPartiallyFilled>());
    }
}

using OrderProcessor.Contracts;
using Xunit.Abstractions;
using Sagas = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// Executions with no <c>sor</c> view of the order (a replay into an intake that has not read the user yet) carry no
/// status; the lifecycle reads such a report as "IBKR works the order". For an order being cancelled that would undo the
/// cancel's progress (back to working, the cancel sent again): such a report waits for a frame or read with the status.
/// </summary>
public sealed class When_executions_alone_meet_an_order_not_working(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_leave_an_order_being_cancelled_as_it_is()
    {
        var kit = new StreamKit();
        var order = Sagas.Working();
        Sagas.Cancel([order]);
        kit.Store.Orders.Add(order);
        var before = (order.Status, order.WorkDue, kit.Store.Events.Count);

        await kit.FrameAsync(str: [StreamKit.Execution("e1", order.BrokerOrderId!, 2, 100m, order.ClientOrderId)]);
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"before: {before.Status} (work {before.WorkDue}); after executions alone: {saga.Status} (work {saga.WorkDue}) filled {saga.FilledQuantity}; " +
            $"events written {kit.Store.Events.Count - before.Count}");

        Assert.Equal(OrderStatus.PendingCancel, before.Status);
        Assert.Equal((before.Status, before.WorkDue, 0m), (saga.Status, saga.WorkDue, saga.FilledQuantity));
        Assert.Equal(0, kit.EventsOf<OrderStatusChanged>());
    }
}

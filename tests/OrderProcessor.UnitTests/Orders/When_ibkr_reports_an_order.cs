using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_ibkr_reports_an_order
{
    [Fact]
    public void Should_go_from_submitted_to_working_once()
    {
        var order = Lifecycle.Submitted()[0];
        var first = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Submitted"), Lifecycle.Stamp());
        var again = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Submitted"), Lifecycle.Stamp());

        var changed = Assert.Single(Lifecycle.Events<OrderStatusChanged>(first));
        Assert.Equal((OrderStatus.Submitted, OrderStatus.Working), (changed.PreviousStatus, changed.Status));
        Assert.True(again.IsEmpty);
    }

    [Fact]
    public void Should_report_partial_fills_then_the_fill_each_once()
    {
        var order = Lifecycle.Working();
        var partial = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Submitted", 4, 100.5m), Lifecycle.Stamp());
        var repeated = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Submitted", 4, 100.5m), Lifecycle.Stamp());
        var filled = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Filled", 10, 100.7m), Lifecycle.Stamp());

        var p = Assert.Single(Lifecycle.Events<OrderPartiallyFilled>(partial));
        Assert.Equal((4m, 6m, 100.5m), (p.FilledQuantity, p.RemainingQuantity, p.AveragePrice!.Value));
        Assert.True(repeated.IsEmpty);
        var f = Assert.Single(Lifecycle.Events<OrderFilled>(filled));
        Assert.Equal((10m, 100.7m), (f.FilledQuantity, f.AveragePrice!.Value));
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void Should_ignore_an_older_observation_that_arrives_late()
    {
        var order = Lifecycle.Working();
        OrderTransitions.Observe(order, Lifecycle.Seen(order, "Submitted", 6, 100m), Lifecycle.Stamp());
        var late = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Submitted", 2, 99m), Lifecycle.Stamp());

        Assert.True(late.IsEmpty);
        Assert.Equal((6m, 100m), (order.FilledQuantity, order.AveragePrice!.Value));
    }

    [Fact]
    public void Should_keep_a_final_order_final()
    {
        var order = Lifecycle.Working();
        OrderTransitions.Observe(order, Lifecycle.Seen(order, "Filled", 10, 100m), Lifecycle.Stamp());
        var sequence = order.LastEventSequence;

        Assert.True(OrderTransitions.Observe(order, Lifecycle.Seen(order, "Cancelled", 10), Lifecycle.Stamp()).IsEmpty);
        Assert.True(OrderTransitions.Observe(order, Lifecycle.Seen(order, "Submitted", 3), Lifecycle.Stamp()).IsEmpty);
        Assert.Equal((OrderStatus.Filled, sequence), (order.Status, order.LastEventSequence));
    }

    [Fact]
    public void Should_report_a_fill_that_happened_before_the_first_status_was_seen()
    {
        var order = Lifecycle.Submitted()[0];
        var decision = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Filled", 10, 99.9m), Lifecycle.Stamp());
        Assert.Equal(["OrderFilled"], decision.Events.Select(e => e.Event.GetType().Name));
    }

    [Fact]
    public void Should_settle_an_order_still_submitting_when_a_poll_finds_it()
    {
        var order = Lifecycle.Submitting()[0];
        var decision = OrderTransitions.Observe(order, Lifecycle.Seen(order, "PreSubmitted") with { BrokerOrderId = "4242" }, Lifecycle.Stamp());
        Assert.Equal(["OrderSubmitted", "OrderStatusChanged"], decision.Events.Select(e => e.Event.GetType().Name));
        Assert.Equal((OrderStatus.Working, "4242", OrderWork.None), (order.Status, order.BrokerOrderId, order.WorkDue));
    }

    [Fact]
    public void Should_reject_an_order_the_destination_made_inactive()
    {
        var order = Lifecycle.Working();
        var decision = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Inactive"), Lifecycle.Stamp());
        Assert.Equal(RejectionReasonCode.BrokerRejected, Assert.Single(Lifecycle.Events<OrderRejected>(decision)).ReasonCode);
    }
}

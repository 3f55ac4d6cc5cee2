using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_an_order_is_cancelled
{
    private static CancelOrder Cancel(Guid orderId, string user = "alice") => new() { OrderId = orderId, UserId = user, Reason = "client asked" };

    [Fact]
    public void Should_cancel_at_once_with_its_legs_an_order_ibkr_has_not_seen()
    {
        var group = Lifecycle.Accepted(When_a_place_order_is_validated.Valid() with { StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95 } });

        var decision = OrderTransitions.RequestCancel(group[0], group.Skip(1).ToList(), Cancel(group[0].OrderId), Lifecycle.Stamp());

        Assert.Equal(2, Lifecycle.Events<OrderCancelled>(decision).Count);
        Assert.All(group, o => Assert.Equal((OrderStatus.Cancelled, OrderWork.None), (o.Status, o.WorkDue)));
    }

    [Fact]
    public void Should_go_pending_cancel_and_send_the_cancel_for_a_working_order()
    {
        var order = Lifecycle.Working();
        var decision = OrderTransitions.RequestCancel(order, [], Cancel(order.OrderId), Lifecycle.Stamp());

        var changed = Assert.Single(Lifecycle.Events<OrderStatusChanged>(decision));
        Assert.Equal((OrderStatus.PendingCancel, "client asked"), (changed.Status, changed.Reason));
        Assert.Equal(OrderWork.Cancel, order.WorkDue);
    }

    [Fact]
    public void Should_wait_for_the_submission_when_the_order_is_being_sent()
    {
        var group = Lifecycle.Submitting();
        var order = group[0];
        Assert.True(OrderTransitions.RequestCancel(order, [], Cancel(order.OrderId), Lifecycle.Stamp()).IsEmpty);

        var decision = OrderTransitions.CompleteSubmission(group, Lifecycle.Accept(group), Lifecycle.Stamp(), Lifecycle.Settings);

        Assert.Equal(["OrderSubmitted", "OrderStatusChanged"], decision.Events.Select(e => e.Event.GetType().Name));
        Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel), (order.Status, order.WorkDue));
    }

    [Fact]
    public void Should_report_the_fill_when_a_fill_wins_the_race()
    {
        var order = Lifecycle.Working();
        OrderTransitions.RequestCancel(order, [], Cancel(order.OrderId), Lifecycle.Stamp());

        var decision = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Filled", 10, 101m), Lifecycle.Stamp());

        Assert.Single(Lifecycle.Events<OrderFilled>(decision));
        Assert.Empty(Lifecycle.Events<OrderCancelled>(decision));
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void Should_end_cancelled_with_what_filled_before_when_ibkr_confirms()
    {
        var order = Lifecycle.Working();
        OrderTransitions.RequestCancel(order, [], Cancel(order.OrderId), Lifecycle.Stamp());
        var decision = OrderTransitions.Observe(order, Lifecycle.Seen(order, "Cancelled", 3, 100m), Lifecycle.Stamp());

        Assert.Equal(["OrderPartiallyFilled", "OrderCancelled"], decision.Events.Select(e => e.Event.GetType().Name));
        var cancelled = Assert.Single(Lifecycle.Events<OrderCancelled>(decision));
        Assert.Equal((3m, "client asked"), (cancelled.FilledQuantity, cancelled.Reason));
    }

    [Fact]
    public void Should_refuse_to_cancel_a_final_order_and_leave_it_alone()
    {
        var order = Lifecycle.Working();
        OrderTransitions.Observe(order, Lifecycle.Seen(order, "Filled", 10, 100m), Lifecycle.Stamp());
        var decision = OrderTransitions.RequestCancel(order, [], Cancel(order.OrderId), Lifecycle.Stamp());

        Assert.Equal(RejectionReasonCode.InvalidState, Assert.Single(Lifecycle.Events<OrderRejected>(decision)).ReasonCode);
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void Should_refuse_a_cancel_from_another_user_naming_the_field()
    {
        var order = Lifecycle.Working();
        var decision = OrderTransitions.RequestCancel(order, [], Cancel(order.OrderId, user: "mallory"), Lifecycle.Stamp());
        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(decision));
        Assert.Equal(("userId", "owner"), (rejected.Violations[0].Field, rejected.Violations[0].Rule));
        Assert.Equal(OrderStatus.Working, order.Status);
    }

    [Fact]
    public void Should_ignore_a_second_cancel_while_pending()
    {
        var order = Lifecycle.Working();
        OrderTransitions.RequestCancel(order, [], Cancel(order.OrderId), Lifecycle.Stamp());
        Assert.True(OrderTransitions.RequestCancel(order, [], Cancel(order.OrderId), Lifecycle.Stamp()).IsEmpty);
    }
}

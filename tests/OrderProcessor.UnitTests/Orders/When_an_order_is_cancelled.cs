using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_an_order_is_cancelled
{
    [Fact]
    public void Should_cancel_at_once_with_its_legs_an_order_ibkr_has_not_seen()
    {
        var group = Lifecycle.Accepted(When_a_place_order_is_validated.Valid() with { StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95 } });

        var decision = Lifecycle.Cancel(group);

        Assert.Equal(2, Lifecycle.Events<OrderCancelled>(decision).Count);
        Assert.All(group, o => Assert.Equal((OrderStatus.Cancelled, OrderWork.None), (o.Status, o.WorkDue)));
        Assert.Equal(OrderWork.None, Lifecycle.Claim(group).Work);
    }

    [Fact]
    public void Should_go_pending_cancel_and_send_the_cancel_for_a_working_order()
    {
        var order = Lifecycle.Working();
        var changed = Assert.Single(Lifecycle.Events<OrderStatusChanged>(Lifecycle.Cancel([order])));
        Assert.Equal((OrderStatus.PendingCancel, "client asked"), (changed.Status, changed.Reason));
        Assert.Equal(OrderWork.Cancel, order.WorkDue);
    }

    [Fact]
    public void Should_wait_for_the_submission_when_the_order_is_being_sent()
    {
        var (token, group) = Lifecycle.Submitting();
        var order = group[0];
        Assert.True(Lifecycle.Cancel(group).IsEmpty);

        var decision = Lifecycle.Apply(group, Lifecycle.Accept(token, group));

        Assert.Equal(["OrderSubmitted", "OrderStatusChanged"], Lifecycle.EventNames(decision));
        Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel), (order.Status, order.WorkDue));
    }

    [Fact]
    public void Should_report_the_fill_when_a_fill_wins_the_race()
    {
        var order = Lifecycle.Working();
        Lifecycle.Cancel([order]);

        var decision = Lifecycle.Observe(order, "Filled", 10, 101m);

        Assert.Single(Lifecycle.Events<OrderFilled>(decision));
        Assert.Empty(Lifecycle.Events<OrderCancelled>(decision));
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void Should_end_cancelled_with_what_filled_before_when_ibkr_confirms()
    {
        var order = Lifecycle.Working();
        Lifecycle.Cancel([order]);
        var decision = Lifecycle.Observe(order, "Cancelled", 3, 100m);

        Assert.Equal(["OrderPartiallyFilled", "OrderCancelled"], Lifecycle.EventNames(decision));
        var cancelled = Assert.Single(Lifecycle.Events<OrderCancelled>(decision));
        Assert.Equal((3m, "client asked"), (cancelled.FilledQuantity, cancelled.Reason));
    }

    [Fact]
    public void Should_refuse_to_cancel_a_final_order_and_leave_it_alone()
    {
        var order = Lifecycle.Working();
        Lifecycle.Observe(order, "Filled", 10, 100m);
        var decision = Lifecycle.Cancel([order]);

        Assert.Equal(RejectionReasonCode.InvalidState, Assert.Single(Lifecycle.Events<OrderRejected>(decision)).ReasonCode);
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void Should_refuse_a_cancel_from_another_user_naming_the_field()
    {
        var order = Lifecycle.Working();
        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(Lifecycle.Cancel([order], user: "mallory")));
        Assert.Equal(("userId", "owner"), (rejected.Violations[0].Field, rejected.Violations[0].Rule));
        Assert.Equal(OrderStatus.Working, order.Status);
    }

    [Fact]
    public void Should_cancel_every_member_ibkr_works_when_an_oca_group_is_cancelled_after_submission()
    {
        var command = When_a_place_order_is_validated.Valid() with
        {
            OcaGroup = new OcaGroup
            {
                Name = "exit",
                Orders = [new OrderLeg { OrderId = Guid.NewGuid(), Side = OrderSide.Sell, Quantity = 10, OrderType = OrderType.Limit, LimitPrice = 110 }],
            },
        };
        var group = Lifecycle.Submitted(command);
        Lifecycle.Observe(group[1], "Submitted");

        Lifecycle.Cancel(group);

        Assert.All(group, o => Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel), (o.Status, o.WorkDue)));
    }

    [Fact]
    public void Should_leave_a_leg_cancelled_before_submission_out_of_the_send()
    {
        var group = Lifecycle.Accepted(Lifecycle.Bracket());
        var stopLoss = group.Single(o => o.OrderType == OrderType.Stop);

        var cancel = Lifecycle.Apply([stopLoss], new CancelRequested(new CancelOrder { OrderId = stopLoss.OrderId, UserId = "alice" }));
        var (_, work, _) = Lifecycle.Claim(group);

        Assert.Single(Lifecycle.Events<OrderCancelled>(cancel));
        Assert.Equal(OrderWork.Submit, work);
        Assert.Equal(OrderStatus.Cancelled, stopLoss.Status);
        Assert.Equal(2, group.Count(o => o.Status == OrderStatus.Submitting));
    }

    [Fact]
    public void Should_cancel_a_leg_without_sending_it_when_its_group_provably_did_not_reach_ibkr()
    {
        var (token, group) = Lifecycle.Submitting(Lifecycle.Bracket());
        var takeProfit = group.Single(o => o.ParentOrderId is not null && o.OrderType == OrderType.Limit);
        Lifecycle.Apply([takeProfit], new CancelRequested(new CancelOrder { OrderId = takeProfit.OrderId, UserId = "alice" }));

        Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));
        var (_, work, _) = Lifecycle.Claim(group);

        Assert.Equal(OrderStatus.Cancelled, takeProfit.Status);
        Assert.Equal(OrderWork.Submit, work);
        Assert.Equal(2, group.Count(o => o.Status == OrderStatus.Submitting));
    }

    [Fact]
    public void Should_leave_a_leg_cancelled_while_its_group_waits_for_a_resend_out_of_the_resend()
    {
        var (token, group) = Lifecycle.Submitting(Lifecycle.Bracket());
        Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));
        var stopLoss = group.Single(o => o.OrderType == OrderType.Stop);
        Lifecycle.Apply([stopLoss], new CancelRequested(new CancelOrder { OrderId = stopLoss.OrderId, UserId = "alice" }));

        var (_, work, decision) = Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.MaxRetryDelay));

        Assert.Equal(OrderWork.Submit, work);
        Assert.Single(Lifecycle.Events<OrderCancelled>(decision));
        Assert.Equal(OrderStatus.Cancelled, stopLoss.Status);
        Assert.Equal(2, group.Count(o => o.Status == OrderStatus.Submitting));
    }
}

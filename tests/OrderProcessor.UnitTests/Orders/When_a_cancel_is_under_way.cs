using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Defect 3 of the lifecycle issue: PendingCancel was a dead end.</summary>
public sealed class When_a_cancel_is_under_way
{
    private static (Guid Token, OrderSaga Order) Cancelling()
    {
        var order = Lifecycle.Working();
        Lifecycle.Cancel([order]);
        var (token, work, _) = Lifecycle.Claim([order]);
        Assert.Equal(OrderWork.Cancel, work);
        return (token, order);
    }

    [Fact]
    public void Should_check_and_send_again_a_cancel_whose_outcome_is_unknown()
    {
        var (token, order) = Cancelling();
        var stamp = Lifecycle.Stamp();

        Lifecycle.Apply([order], new CancelAmbiguous(token, "timeout"), stamp);

        Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel, stamp.At + Lifecycle.Settings.CancelConfirmTimeout),
            (order.Status, order.WorkDue, order.WorkDueAt!.Value));
    }

    [Fact]
    public void Should_send_again_a_cancel_ibkr_took_when_the_order_still_works_after_the_timeout()
    {
        var (token, order) = Cancelling();
        Lifecycle.Apply([order], new CancelSent(token));
        Lifecycle.Observe(order, "Submitted");

        var (again, work, _) = Lifecycle.Claim([order], Lifecycle.StampAfter(Lifecycle.Settings.CancelConfirmTimeout));

        Assert.Equal(OrderWork.Cancel, work);
        Assert.Equal(2, order.WorkAttempts);
        Assert.NotEqual(token, again);
    }

    [Fact]
    public void Should_stop_sending_once_ibkr_shows_the_cancel_pending()
    {
        var (token, order) = Cancelling();
        Lifecycle.Apply([order], new CancelSent(token));
        Lifecycle.Observe(order, "PendingCancel");
        Assert.Equal(OrderWork.None, order.WorkDue);
        Assert.Single(Lifecycle.Events<OrderCancelled>(Lifecycle.Observe(order, "Cancelled")));
    }

    [Fact]
    public void Should_answer_the_cancel_and_go_back_to_working_when_ibkr_refuses_it()
    {
        var (token, order) = Cancelling();

        var decision = Lifecycle.Apply([order], new CancelRefused(token, "OrderID 1000 doesn't exist"));

        Assert.Equal(["OrderStatusChanged", "OrderRejected"], Lifecycle.EventNames(decision));
        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(decision));
        Assert.Equal(("CancelOrder", RejectionReasonCode.BrokerRejected), (rejected.Command, rejected.ReasonCode));
        Assert.Contains("doesn't exist", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal((OrderStatus.Working, OrderWork.None), (order.Status, order.WorkDue));
    }

    [Fact]
    public void Should_give_up_after_the_last_attempt_and_say_so()
    {
        var (token, order) = Cancelling();
        for (var attempt = 1; attempt < Lifecycle.Settings.MaxCancelAttempts; attempt++)
        {
            Lifecycle.Apply([order], new CancelNotSent(token, Lifecycle.Transient()));
            (token, _, _) = Lifecycle.Claim([order], Lifecycle.StampAfter(Lifecycle.Settings.MaxRetryDelay));
        }

        Lifecycle.Apply([order], new CancelNotSent(token, Lifecycle.Transient()));
        var (_, work, decision) = Lifecycle.Claim([order], Lifecycle.StampAfter(Lifecycle.Settings.MaxRetryDelay));

        Assert.Equal(OrderWork.None, work);
        Assert.Equal("CancelOrder", Assert.Single(Lifecycle.Events<OrderRejected>(decision)).Command);
        Assert.Equal(OrderStatus.Working, order.Status);
    }

    [Fact]
    public void Should_send_a_later_cancel_again_at_once()
    {
        var (token, order) = Cancelling();
        Lifecycle.Apply([order], new CancelNotSent(token, Lifecycle.Transient()));
        var stamp = Lifecycle.Stamp();

        Lifecycle.Apply([order], new CancelRequested(new CancelOrder { OrderId = order.OrderId, UserId = "alice" }), stamp);

        Assert.Equal((OrderWork.Cancel, stamp.At, 0), (order.WorkDue, order.WorkDueAt!.Value, order.WorkAttempts));
    }

    [Fact]
    public void Should_not_let_a_stale_modify_result_clear_the_cancel()
    {
        var order = Lifecycle.Working();
        var modify = new ModifyRequested(new ModifyOrder { OrderId = order.OrderId, UserId = "alice", LimitPrice = 99 });
        Lifecycle.Apply([order], modify);
        var (modifyClaim, _, _) = Lifecycle.Claim([order]);
        Lifecycle.Cancel([order]);

        Lifecycle.Apply([order], new ModifyRejected(modifyClaim, RejectionReasonCode.BrokerRejected, "too late", []));

        Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel), (order.Status, order.WorkDue));
    }

    [Fact]
    public void Should_not_let_a_stale_reconcile_result_clear_the_cancel()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
        var (slow, _, _) = Lifecycle.Claim(group);
        var leader = group[0];
        var found = new Dictionary<string, BrokerOrderObservation> { [leader.ClientOrderId] = Lifecycle.Seen(leader, "Submitted") with { BrokerOrderId = "5" } };
        Lifecycle.Apply(group, new ReconcileRead(Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.WorkLease)).Token, found));
        Lifecycle.Cancel(group);

        Lifecycle.Apply(group, new ReconcileRead(slow, found));

        Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel), (leader.Status, leader.WorkDue));
    }

    [Fact]
    public void Should_not_send_a_cancel_nobody_here_asked_for_when_a_cancel_pending_elsewhere_comes_to_nothing()
    {
        var order = Lifecycle.Working();
        Lifecycle.Observe(order, "PendingCancel");
        Assert.Equal(OrderStatus.PendingCancel, order.Status);

        Lifecycle.Observe(order, "Submitted");

        Assert.Equal((OrderStatus.Working, OrderWork.None), (order.Status, order.WorkDue));
    }

    [Fact]
    public void Should_drop_a_modification_and_answer_it_when_a_cancel_becomes_pending_at_ibkr()
    {
        var order = Lifecycle.Working();
        Lifecycle.Apply([order], new ModifyRequested(new ModifyOrder { OrderId = order.OrderId, UserId = "alice", LimitPrice = 99 }));
        Lifecycle.Claim([order]);

        var decision = Lifecycle.Observe(order, "PendingCancel");

        Assert.Equal("ModifyOrder", Assert.Single(Lifecycle.Events<OrderRejected>(decision)).Command);
        Assert.Equal((OrderStatus.PendingCancel, OrderWork.None, (string?)null), (order.Status, order.WorkDue, order.PendingModification));
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Defect 4 of the lifecycle issue: resends outlived IBKR's 24 h duplicate-cOID protection.</summary>
public sealed class When_an_order_outlives_ibkrs_duplicate_protection
{
    [Fact]
    public void Should_hand_the_order_to_an_operator_instead_of_sending_it_again_past_the_resend_window()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost before the weekend"));
        Lifecycle.Apply(group, Lifecycle.Absent(Lifecycle.Claim(group).Token));

        // The second read is due on Monday: the claim sees the window has passed before anything is read or sent.
        var monday = Lifecycle.StampAfter(TimeSpan.FromHours(60));
        var (_, work, decision) = Lifecycle.Claim(group, monday);
        Assert.Equal(OrderWork.None, work);

        var changed = Assert.Single(Lifecycle.Events<OrderStatusChanged>(decision));
        Assert.Equal(OrderStatus.NeedsAttention, changed.Status);
        Assert.Contains("24 h", changed.Reason, StringComparison.Ordinal);
        Assert.Equal((OrderStatus.NeedsAttention, OrderWork.None), (group[0].Status, group[0].WorkDue));
    }

    [Fact]
    public void Should_not_send_a_due_resend_once_the_window_has_passed()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));

        var (_, work, decision) = Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.ResendWindow));

        Assert.Equal(OrderWork.None, work);
        Assert.Equal(OrderStatus.NeedsAttention, group[0].Status);
        Assert.Single(Lifecycle.Events<OrderStatusChanged>(decision));
    }

    [Fact]
    public void Should_follow_an_order_handed_to_an_operator_when_ibkr_lists_it_after_all()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));
        Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.ResendWindow));

        var decision = Lifecycle.Observe(group[0], "Submitted", 2, 100m);

        Assert.Equal(["OrderStatusChanged", "OrderPartiallyFilled"], Lifecycle.EventNames(decision));
        Assert.Equal(OrderStatus.PartiallyFilled, group[0].Status);
    }

    [Fact]
    public void Should_refuse_commands_for_an_order_an_operator_must_settle()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));
        Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.ResendWindow));

        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(Lifecycle.Cancel(group)));
        Assert.Equal(RejectionReasonCode.InvalidState, rejected.ReasonCode);
        Assert.Contains("operator", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_send_a_cancel_accepted_before_when_the_order_comes_back_from_an_operator()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
        Lifecycle.Cancel(group);
        Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.ResendWindow));
        Assert.Equal(OrderStatus.NeedsAttention, group[0].Status);

        Lifecycle.Observe(group[0], "Submitted");

        Assert.Equal((OrderStatus.PendingCancel, OrderWork.Cancel), (group[0].Status, group[0].WorkDue));
    }

    [Fact]
    public void Should_hand_an_order_to_an_operator_when_its_reconciliation_cannot_settle_it_within_the_window()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));

        // Every read times out (no result is written): the claim itself stops at the window.
        var (_, work, decision) = Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.ResendWindow));

        Assert.Equal(OrderWork.None, work);
        Assert.Equal(OrderStatus.NeedsAttention, group[0].Status);
        Assert.Single(Lifecycle.Events<OrderStatusChanged>(decision));
    }
}

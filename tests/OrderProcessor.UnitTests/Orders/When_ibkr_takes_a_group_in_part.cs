using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>Found by the lifecycle simulation: a ticket of a group left Submitting with no work when its answer was lost or late.</summary>
public sealed class When_ibkr_takes_a_group_in_part
{
    [Fact]
    public void Should_reject_the_ticket_that_stays_absent_once_its_group_is_found()
    {
        var (token, group) = Lifecycle.Submitting(Lifecycle.Bracket());
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
        var found = group.Take(2).ToDictionary(o => o.ClientOrderId, o => Lifecycle.Seen(o, "Submitted") with { BrokerOrderId = "9" + o.ClientOrderId[^3..] });

        Lifecycle.Apply(group, new ReconcileRead(Lifecycle.Claim(group).Token, found));
        var missing = group[2];
        Assert.Equal((OrderStatus.Submitting, OrderWork.Reconcile), (missing.Status, missing.WorkDue));

        // The absent ticket reconciles on its own; it is never sent alone.
        var (alone, work, _) = Lifecycle.Claim([missing], Lifecycle.StampAfter(Lifecycle.Settings.ReconcileInterval));
        Assert.Equal(OrderWork.Reconcile, work);
        var decision = Lifecycle.Apply([missing], Lifecycle.Absent(alone));

        Assert.Equal(RejectionReasonCode.BrokerRejected, Assert.Single(Lifecycle.Events<OrderRejected>(decision)).ReasonCode);
        Assert.Equal(OrderStatus.Rejected, missing.Status);
    }

    [Fact]
    public void Should_settle_every_ticket_of_a_late_answer_that_accepted_the_group_in_part()
    {
        var (send, group) = Lifecycle.Submitting(Lifecycle.Bracket());
        Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.WorkLease));
        var answer = Lifecycle.Accept(send, group.Take(2)) with
        {
            Refused = new Dictionary<string, TicketRefusal> { [group[2].ClientOrderId] = new(RejectionReasonCode.BrokerRejected, "price band", []) },
        };

        Lifecycle.Apply(group, answer);

        Assert.Equal([OrderStatus.Submitted, OrderStatus.Submitted, OrderStatus.Rejected], group.Select(o => o.Status));
    }

    [Fact]
    public void Should_look_again_for_a_ticket_the_answer_does_not_mention()
    {
        var (token, group) = Lifecycle.Submitting(Lifecycle.Bracket());
        Lifecycle.Apply(group, Lifecycle.Accept(token, group.Take(2)));
        Assert.Equal((OrderStatus.Submitting, OrderWork.Reconcile), (group[2].Status, group[2].WorkDue));
    }
}

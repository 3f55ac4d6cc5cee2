using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_an_outcome_is_ambiguous
{
    [Fact]
    public void Should_reconcile_against_the_live_orders_instead_of_sending_again()
    {
        var (token, group) = Lifecycle.Submitting();
        var decision = Lifecycle.Apply(group, new SubmissionAmbiguous(token, "timeout after send"));

        Assert.True(decision.IsEmpty);
        Assert.Equal((OrderStatus.Submitting, OrderWork.Reconcile), (group[0].Status, group[0].WorkDue));
    }

    [Fact]
    public void Should_treat_the_order_as_submitted_when_its_cOID_is_found()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
        var leader = group[0];
        var (reconcile, _, _) = Lifecycle.Claim(group);
        var found = new Dictionary<string, BrokerOrderObservation> { [leader.ClientOrderId] = Lifecycle.Seen(leader, "Filled", 10, 101.2m) with { BrokerOrderId = "777" } };

        var decision = Lifecycle.Apply(group, new ReconcileRead(reconcile, found));

        Assert.Equal(["OrderSubmitted", "OrderFilled"], Lifecycle.EventNames(decision));
        Assert.Equal(("777", OrderStatus.Filled, 10m), (leader.BrokerOrderId, leader.Status, leader.FilledQuantity));
    }

    [Fact]
    public void Should_send_again_with_the_same_cOID_only_after_consecutive_polls_without_it()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));

        Lifecycle.Apply(group, Lifecycle.Absent(Lifecycle.Claim(group).Token));
        Assert.Equal(OrderWork.Reconcile, leader.WorkDue);

        Lifecycle.Apply(group, Lifecycle.Absent(Lifecycle.Claim(group).Token));
        Assert.Equal((OrderWork.Submit, OrderStatus.Submitting), (leader.WorkDue, leader.Status));
    }

    [Fact]
    public void Should_keep_waiting_when_the_live_orders_cannot_be_read()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
        var (reconcile, _, _) = Lifecycle.Claim(group);
        var stamp = Lifecycle.Stamp();
        Lifecycle.Apply(group, new ReadFailed(reconcile, new CallFailure("SessionLost", "session lost", true)), stamp);
        Assert.Equal((OrderWork.Reconcile, stamp.At + Lifecycle.Settings.ReconcileInterval, OrderStatus.Submitting),
            (group[0].WorkDue, group[0].WorkDueAt!.Value, group[0].Status));
    }

    [Fact]
    public void Should_fail_only_when_every_send_was_proven_absent()
    {
        var group = Lifecycle.Accepted();
        for (var send = 1; send <= Lifecycle.Settings.MaxSubmitAttempts; send++)
        {
            var (token, work, _) = Lifecycle.Claim(group);
            Assert.Equal(OrderWork.Submit, work);
            Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
            Lifecycle.Apply(group, Lifecycle.Absent(Lifecycle.Claim(group).Token));
            var decision = Lifecycle.Apply(group, Lifecycle.Absent(Lifecycle.Claim(group).Token));
            if (send == Lifecycle.Settings.MaxSubmitAttempts)
            {
                Assert.Single(Lifecycle.Events<OrderFailed>(decision));
            }
        }

        Assert.Equal(OrderStatus.Failed, group[0].Status);
    }

    [Fact]
    public void Should_not_count_a_read_of_an_expired_claim_as_another_miss()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Apply(group, new SubmissionAmbiguous(token, "answer lost"));
        var (slow, _, _) = Lifecycle.Claim(group);
        var (second, _, _) = Lifecycle.Claim(group, Lifecycle.StampAfter(Lifecycle.Settings.WorkLease));
        Lifecycle.Apply(group, Lifecycle.Absent(second));

        // The slow read answers now: it is late, and two misses must be two reads of their own.
        Lifecycle.Apply(group, Lifecycle.Absent(slow));

        Assert.Equal((OrderWork.Reconcile, 1), (group[0].WorkDue, group[0].ReconcileMisses));
    }
}

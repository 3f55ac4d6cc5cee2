using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_an_outcome_is_ambiguous
{
    [Fact]
    public void Should_reconcile_against_the_live_orders_instead_of_sending_again()
    {
        var group = Lifecycle.Submitting();
        var decision = OrderTransitions.CompleteSubmission(group, new SubmissionAmbiguous("timeout after send"), Lifecycle.Stamp(), Lifecycle.Settings);

        Assert.True(decision.IsEmpty);
        Assert.Equal((OrderStatus.Submitting, OrderWork.Reconcile), (group[0].Status, group[0].WorkDue));
    }

    [Fact]
    public void Should_treat_the_order_as_submitted_when_its_cOID_is_found()
    {
        var group = Lifecycle.Submitting();
        OrderTransitions.CompleteSubmission(group, new SubmissionAmbiguous("answer lost"), Lifecycle.Stamp(), Lifecycle.Settings);
        var leader = group[0];
        var found = new Dictionary<string, BrokerOrderObservation> { [leader.ClientOrderId] = Lifecycle.Seen(leader, "Filled", 10, 101.2m) with { BrokerOrderId = "777" } };

        var decision = OrderTransitions.Reconcile(group, found, Lifecycle.Stamp(), Lifecycle.Settings);

        Assert.Equal(["OrderSubmitted", "OrderFilled"], decision.Events.Select(e => e.Event.GetType().Name));
        Assert.Equal(("777", OrderStatus.Filled, 10m), (leader.BrokerOrderId, leader.Status, leader.FilledQuantity));
    }

    [Fact]
    public void Should_send_again_with_the_same_cOID_only_after_consecutive_polls_without_it()
    {
        var group = Lifecycle.Submitting();
        var leader = group[0];
        OrderTransitions.CompleteSubmission(group, new SubmissionAmbiguous("answer lost"), Lifecycle.Stamp(), Lifecycle.Settings);
        var none = new Dictionary<string, BrokerOrderObservation>();

        OrderTransitions.Reconcile(group, none, Lifecycle.Stamp(), Lifecycle.Settings);
        Assert.Equal(OrderWork.Reconcile, leader.WorkDue);

        OrderTransitions.Reconcile(group, none, Lifecycle.Stamp(), Lifecycle.Settings);
        Assert.Equal(OrderWork.Submit, leader.WorkDue);
        Assert.Equal(OrderStatus.Submitting, leader.Status);
    }

    [Fact]
    public void Should_keep_waiting_when_the_live_orders_cannot_be_read()
    {
        var group = Lifecycle.Submitting();
        var now = Lifecycle.Stamp().At;
        OrderTransitions.ReconcileFailed(group[0], "session lost", now, Lifecycle.Settings);
        Assert.Equal((OrderWork.Reconcile, now + Lifecycle.Settings.ReconcileInterval, OrderStatus.Submitting),
            (group[0].WorkDue, group[0].WorkDueAt, group[0].Status));
    }

    [Fact]
    public void Should_fail_only_when_every_send_was_proven_absent()
    {
        var group = Lifecycle.Submitting();
        var none = new Dictionary<string, BrokerOrderObservation>();
        for (var send = 1; send <= Lifecycle.Settings.MaxSubmitAttempts; send++)
        {
            if (send > 1)
            {
                OrderTransitions.BeginSubmission(group, Lifecycle.Stamp().At, Lifecycle.Settings);
            }

            OrderTransitions.CompleteSubmission(group, new SubmissionAmbiguous("answer lost"), Lifecycle.Stamp(), Lifecycle.Settings);
            OrderTransitions.Reconcile(group, none, Lifecycle.Stamp(), Lifecycle.Settings);
            var decision = OrderTransitions.Reconcile(group, none, Lifecycle.Stamp(), Lifecycle.Settings);
            if (send == Lifecycle.Settings.MaxSubmitAttempts)
            {
                Assert.Single(Lifecycle.Events<OrderFailed>(decision));
            }
        }

        Assert.Equal(OrderStatus.Failed, group[0].Status);
    }
}

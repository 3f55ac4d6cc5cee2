using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_an_order_is_submitted
{
    [Fact]
    public void Should_be_committed_as_submitting_with_a_reconciliation_lease_before_the_call()
    {
        var group = Lifecycle.Submitting();
        var leader = group[0];
        Assert.Equal(OrderStatus.Submitting, leader.Status);
        Assert.Equal(OrderWork.Reconcile, leader.WorkDue);
        Assert.Equal(1, leader.WorkAttempts);
    }

    [Fact]
    public void Should_emit_order_submitted_with_ibkrs_order_id_for_every_order_of_a_bracket()
    {
        var command = When_a_place_order_is_validated.Valid() with
        {
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95 },
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 110 },
        };
        var group = Lifecycle.Submitting(command);

        var decision = OrderTransitions.CompleteSubmission(group, Lifecycle.Accept(group), Lifecycle.Stamp(), Lifecycle.Settings);

        var submitted = Lifecycle.Events<OrderSubmitted>(decision);
        Assert.Equal(3, submitted.Count);
        Assert.Equal(["1000", "1001", "1002"], submitted.Select(s => s.BrokerOrderId));
        Assert.All(group, o => Assert.Equal((OrderStatus.Submitted, OrderWork.None), (o.Status, o.WorkDue)));
        Assert.All(submitted, s => Assert.Equal(2, s.Sequence));
    }

    [Fact]
    public void Should_end_rejected_with_the_question_text_and_ids_when_ibkr_asks_an_unknown_question()
    {
        var group = Lifecycle.Submitting();
        var decision = OrderTransitions.CompleteSubmission(group,
            new SubmissionRejected(RejectionReasonCode.UnansweredQuestion, "Are you sure you want to send this order?", ["o9999"]),
            Lifecycle.Stamp(), Lifecycle.Settings);

        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(decision));
        Assert.Equal((RejectionReasonCode.UnansweredQuestion, "o9999"), (rejected.ReasonCode, Assert.Single(rejected.QuestionIds)));
        Assert.Contains("Are you sure", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Rejected, group[0].Status);
    }

    [Fact]
    public void Should_retry_a_send_that_provably_did_not_leave_with_backoff_and_then_fail()
    {
        var group = Lifecycle.Submitting();
        var leader = group[0];
        var notSent = new SubmissionNotSent("TransientBeforeSend", "connection refused", Retryable: true);
        for (var attempt = 1; attempt < Lifecycle.Settings.MaxSubmitAttempts; attempt++)
        {
            var stamp = Lifecycle.Stamp();
            Assert.True(OrderTransitions.CompleteSubmission(group, notSent, stamp, Lifecycle.Settings).IsEmpty);
            Assert.Equal(OrderWork.Submit, leader.WorkDue);
            Assert.Equal(stamp.At + Lifecycle.Settings.Backoff(attempt), leader.WorkDueAt);
            OrderTransitions.BeginSubmission(group, stamp.At, Lifecycle.Settings);
        }

        var final = OrderTransitions.CompleteSubmission(group, notSent, Lifecycle.Stamp(), Lifecycle.Settings);

        var failed = Assert.Single(Lifecycle.Events<OrderFailed>(final));
        Assert.Contains("connection refused", failed.Reason, StringComparison.Ordinal);
        Assert.Equal((OrderStatus.Failed, OrderWork.None), (leader.Status, leader.WorkDue));
    }

    [Fact]
    public void Should_fail_at_once_on_a_configuration_error()
    {
        var group = Lifecycle.Submitting();
        var decision = OrderTransitions.CompleteSubmission(group, new SubmissionNotSent("Configuration", "PiTrade refused the partner JWT", Retryable: false),
            Lifecycle.Stamp(), Lifecycle.Settings);
        Assert.Equal("Configuration", Assert.Single(Lifecycle.Events<OrderFailed>(decision)).FailureKind);
    }
}

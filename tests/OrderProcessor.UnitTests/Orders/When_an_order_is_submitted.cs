using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_an_order_is_submitted
{
    [Fact]
    public void Should_be_committed_as_submitting_with_a_reconciliation_lease_and_a_claim_before_the_call()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        Assert.Equal((OrderStatus.Submitting, OrderWork.Reconcile, 1, token), (leader.Status, leader.WorkDue, leader.WorkAttempts, leader.ClaimToken!.Value));
        Assert.NotNull(leader.FirstSentAt);
    }

    [Fact]
    public void Should_emit_order_submitted_with_ibkrs_order_id_for_every_order_of_a_bracket()
    {
        var (token, group) = Lifecycle.Submitting(Lifecycle.Bracket());

        var decision = Lifecycle.Apply(group, Lifecycle.Accept(token, group));

        var submitted = Lifecycle.Events<OrderSubmitted>(decision);
        Assert.Equal(3, submitted.Count);
        Assert.Equal(["1000", "1001", "1002"], submitted.Select(s => s.BrokerOrderId));
        Assert.All(group, o => Assert.Equal((OrderStatus.Submitted, OrderWork.None, (Guid?)null), (o.Status, o.WorkDue, o.ClaimToken)));
        Assert.All(submitted, s => Assert.Equal(2, s.Sequence));
    }

    [Fact]
    public void Should_reject_only_the_ticket_ibkr_refused_when_it_accepts_a_group_in_part()
    {
        var (token, group) = Lifecycle.Submitting(Lifecycle.Bracket());
        var refused = group[2].ClientOrderId;
        var accepted = Lifecycle.Accept(token, group.Take(2));

        Lifecycle.Apply(group, accepted with { Refused = new Dictionary<string, TicketRefusal> { [refused] = new(RejectionReasonCode.BrokerRejected, "price band", []) } });

        Assert.Equal([OrderStatus.Submitted, OrderStatus.Submitted, OrderStatus.Rejected], group.Select(o => o.Status));
        Assert.Equal("price band", group[2].LastReason);
    }

    [Fact]
    public void Should_end_rejected_with_the_question_text_and_ids_when_ibkr_asks_an_unknown_question()
    {
        var (token, group) = Lifecycle.Submitting();
        var decision = Lifecycle.Apply(group, new SubmissionRejected(token, RejectionReasonCode.UnansweredQuestion, "Are you sure you want to send this order?", ["o9999"]));

        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(decision));
        Assert.Equal((RejectionReasonCode.UnansweredQuestion, "o9999"), (rejected.ReasonCode, Assert.Single(rejected.QuestionIds)));
        Assert.Contains("Are you sure", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Rejected, group[0].Status);
    }

    [Fact]
    public void Should_retry_a_send_that_provably_did_not_leave_with_backoff_and_then_fail()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        for (var attempt = 1; attempt < Lifecycle.Settings.MaxSubmitAttempts; attempt++)
        {
            var stamp = Lifecycle.Stamp();
            Assert.True(Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()), stamp).IsEmpty);
            Assert.Equal((OrderWork.Submit, stamp.At + Lifecycle.Settings.Backoff(attempt)), (leader.WorkDue, leader.WorkDueAt!.Value));
            (token, _, _) = Lifecycle.Claim(group);
        }

        var final = Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));

        var failed = Assert.Single(Lifecycle.Events<OrderFailed>(final));
        Assert.Contains("connection refused", failed.Reason, StringComparison.Ordinal);
        Assert.Equal((OrderStatus.Failed, OrderWork.None), (leader.Status, leader.WorkDue));
    }

    [Fact]
    public void Should_fail_at_once_on_a_configuration_error()
    {
        // A configuration error of our own (not PiTrade refusing the partner, which waits: see When_a_send_fails_for_a_reason_that_is_not_the_orders).
        var (token, group) = Lifecycle.Submitting();
        var decision = Lifecycle.Apply(group, new SubmissionNotSent(token, new CallFailure("Configuration", "the IBKR base URL is wrong", Retryable: false)));
        Assert.Equal("Configuration", Assert.Single(Lifecycle.Events<OrderFailed>(decision)).FailureKind);
    }
}

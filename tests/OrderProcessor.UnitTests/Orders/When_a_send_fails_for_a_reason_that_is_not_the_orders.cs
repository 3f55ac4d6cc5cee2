using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// Set-up, token and partner failures are never an order's outcome: the order waits (its work is tried again later,
/// without spending an attempt); a user PiTrade does not entitle is rejected with its own reason code.
/// </summary>
public sealed class When_a_send_fails_for_a_reason_that_is_not_the_orders(ITestOutputHelper output)
{
    private static CallFailure Waiting(string kind = "NotReady") => new(kind, "IBKR refused suppress-questions (HTTP 400)", Retryable: true, Waits: true);

    [Fact]
    public void Should_wait_and_send_again_without_ever_failing_however_often_the_set_up_fails()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        var rounds = Lifecycle.Settings.MaxSubmitAttempts * 3;
        for (var round = 0; round < rounds; round++)
        {
            var stamp = Lifecycle.Stamp();
            var decision = Lifecycle.Apply(group, new SubmissionNotSent(token, Waiting()), stamp);
            Assert.True(decision.IsEmpty, "no event: the order is still waiting");
            Assert.Equal((OrderStatus.Submitting, OrderWork.Submit, stamp.At + Lifecycle.Settings.MaxRetryDelay), (leader.Status, leader.WorkDue, leader.WorkDueAt!.Value));
            (token, _, _) = Lifecycle.Claim(group);
        }

        output.WriteLine($"{rounds} set-up failures in a row (the bound of ordinary attempts is {Lifecycle.Settings.MaxSubmitAttempts}): status {leader.Status}, attempts counted {leader.WorkAttempts}");
        Assert.Equal(1, leader.WorkAttempts);
        var accepted = Lifecycle.Apply(group, Lifecycle.Accept(token, group));
        Assert.Single(Lifecycle.Events<OrderSubmitted>(accepted));
    }

    [Fact]
    public void Should_fail_unsent_an_order_that_waited_longer_than_the_bound_since_it_arrived()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        var settings = new LifecycleSettings();
        var late = EventStamp.Create(leader.CreatedAt + settings.MaxWaitBeforeSend, Guid.NewGuid(), Guid.NewGuid());

        var decision = OrderLifecycle.Apply(group, new SubmissionNotSent(token, Waiting()), late, settings);

        output.WriteLine($"a set-up failure {settings.MaxWaitBeforeSend} after arrival: status {leader.Status}, events {string.Join(", ", Lifecycle.EventNames(decision))}; reason: {leader.LastReason}");
        Assert.Equal(OrderStatus.Failed, leader.Status);
        Assert.Single(Lifecycle.Events<OrderFailed>(decision));
        Assert.Contains("did not clear within", leader.LastReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_wait_through_a_partner_wide_stop_and_still_count_a_real_failure_afterwards()
    {
        var (token, group) = Lifecycle.Submitting();
        var leader = group[0];
        Lifecycle.Apply(group, new SubmissionNotSent(token, Waiting(nameof(BrokerageFailureKind.PartnerStopped))));
        var afterStop = leader.WorkAttempts;
        (token, _, _) = Lifecycle.Claim(group);
        Lifecycle.Apply(group, new SubmissionNotSent(token, Lifecycle.Transient()));

        output.WriteLine($"attempts after a partner stop: {afterStop}; after a real transport failure: {leader.WorkAttempts}; first sent at {leader.FirstSentAt?.ToString("O") ?? "(not yet)"}");
        Assert.Equal(0, afterStop);
        Assert.Equal(1, leader.WorkAttempts);
        Assert.Equal(OrderStatus.Submitting, leader.Status);
    }

    [Fact]
    public void Should_cancel_a_waiting_order_whose_cancel_was_asked_for()
    {
        var (token, group) = Lifecycle.Submitting();
        Lifecycle.Cancel(group);

        var decision = Lifecycle.Apply(group, new SubmissionNotSent(token, Waiting()));

        output.WriteLine($"events: {string.Join(", ", Lifecycle.EventNames(decision))}");
        Assert.Equal(OrderStatus.Cancelled, group[0].Status);
    }

    [Fact]
    public void Should_reject_with_its_own_reason_a_user_pitrade_does_not_entitle()
    {
        var (token, group) = Lifecycle.Submitting();
        var input = OutcomeTranslator.SubmissionFailure(token, new BrokerageException(BrokerageFailureKind.UserNotEntitled,
            "PiTrade does not entitle user alice to an IBKR bearer token (HTTP 403).", "alice", "pitrade-bearer-token"));

        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(Lifecycle.Apply(group, input)));

        output.WriteLine($"{rejected.ReasonCode}: {rejected.Reason}");
        Assert.Equal(RejectionReasonCode.UserNotEntitled, rejected.ReasonCode);
    }

    [Theory]
    [InlineData(BrokerageFailureKind.NotReady)]
    [InlineData(BrokerageFailureKind.PartnerStopped)]
    public void Should_translate_set_up_and_partner_failures_into_waiting_inputs(BrokerageFailureKind kind)
    {
        var failure = new BrokerageException(kind, "set-up failed", "alice");
        var submission = Assert.IsType<SubmissionNotSent>(OutcomeTranslator.SubmissionFailure(Guid.NewGuid(), failure));
        var modify = Assert.IsType<ModifyNotSent>(OutcomeTranslator.ModificationFailure(Guid.NewGuid(), failure));
        var read = OutcomeTranslator.ReadFailure(failure);

        output.WriteLine($"{kind}: submission waits {submission.Failure.Waits}, modify waits {modify.Failure.Waits}, read waits {read.Waits}");
        Assert.True(submission.Failure.Waits && modify.Failure.Waits && read.Waits);
    }

    [Fact]
    public void Should_run_the_what_if_again_without_spending_an_attempt_and_reject_a_user_not_entitled()
    {
        var group = Lifecycle.Accepted(When_a_place_order_is_validated.Valid() with { MarginCheck = MarginCheckPolicy.RejectOnExcessInitialMargin });
        var (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal(OrderWork.CheckMargin, work);

        Lifecycle.Apply(group, new ReadFailed(token, Waiting()));
        var attemptsAfterWait = group[0].WorkAttempts;
        (token, _, _) = Lifecycle.Claim(group);
        var decision = Lifecycle.Apply(group, new ReadFailed(token, new CallFailure(CallFailure.UserNotEntitledKind, "not entitled", Retryable: false)));

        output.WriteLine($"attempts after a set-up failure: {attemptsAfterWait}; then {string.Join(", ", Lifecycle.EventNames(decision))}");
        Assert.Equal(0, attemptsAfterWait);
        Assert.Equal(RejectionReasonCode.UserNotEntitled, Assert.Single(Lifecycle.Events<OrderRejected>(decision)).ReasonCode);
    }

    [Fact]
    public void Should_answer_a_standalone_margin_check_of_a_user_not_entitled_at_once_with_its_own_reason()
    {
        var request = StandaloneMarginCheck.Request(new MarginCheck
        {
            CheckId = Guid.NewGuid(),
            UserId = "alice",
            AccountId = "DU1234567",
            Conid = 265598,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = OrderType.Market,
        }, Lifecycle.Stamp(), null, null, null);
        var token = Guid.NewGuid();
        StandaloneMarginCheck.Claim(request, token, Lifecycle.Stamp().At, Lifecycle.Settings);

        var answer = StandaloneMarginCheck.Failed(request, token, new CallFailure(CallFailure.UserNotEntitledKind, "PiTrade: not entitled", Retryable: false), Lifecycle.Stamp(), Lifecycle.Settings);

        var rejected = Assert.IsType<OrderRejected>(Assert.Single(answer!.Events).Event);
        output.WriteLine($"{rejected.ReasonCode}: {rejected.Reason} (after {request.Attempts} attempt)");
        Assert.Equal(RejectionReasonCode.UserNotEntitled, rejected.ReasonCode);
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Orders;
using OrderProcessor.UnitTests.Orders;
using Xunit.Abstractions;
using Steps = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Halts;

/// <summary>The kill switch's pure parts: what a claim of a halted scope decides, and the verdict a halted PlaceOrder gets.</summary>
public sealed class When_a_scope_is_halted(ITestOutputHelper output)
{
    private static readonly HaltView Halt = new(Guid.NewGuid(), HaltScope.Account, "DU1", "runaway strategy", new DateTimeOffset(2026, 11, 30, 21, 0, 0, TimeSpan.Zero), "ops");

    [Fact]
    public void Should_reject_an_accepted_order_at_its_send_claim_and_send_nothing()
    {
        var group = Steps.Accepted(Steps.Bracket());

        var (work, decision) = OrderLifecycle.Claim(group, Guid.NewGuid(), Steps.Stamp(), Steps.Settings, Halt);

        output.WriteLine($"work {work}; events {string.Join(", ", Steps.EventNames(decision))}; statuses {string.Join(", ", group.Select(o => o.Status))}");
        Assert.Equal(OrderWork.None, work);
        Assert.All(group, o => Assert.Equal((OrderStatus.Rejected, OrderWork.None), (o.Status, o.WorkDue)));
        var rejections = Steps.Events<OrderRejected>(decision);
        Assert.Equal(3, rejections.Count);
        Assert.All(rejections, r => Assert.Equal(RejectionReasonCode.TradingHalted, r.ReasonCode));
        Assert.Contains("trading is halted for account DU1 since 2026-11-30 21:00:00Z by ops: runaway strategy", rejections[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_reject_an_order_waiting_for_its_margin_check()
    {
        var group = Steps.Accepted(When_a_place_order_is_validated.Valid() with { MarginCheck = MarginCheckPolicy.RejectOnBrokerError });
        Assert.Equal(OrderWork.CheckMargin, group[0].WorkDue);

        var (work, decision) = OrderLifecycle.Claim(group, Guid.NewGuid(), Steps.Stamp(), Steps.Settings, Halt);

        output.WriteLine($"work {work}; events {string.Join(", ", Steps.EventNames(decision))}");
        Assert.Equal((OrderWork.None, OrderStatus.Rejected), (work, group[0].Status));
    }

    [Fact]
    public void Should_reject_a_resend_of_an_order_proven_not_sent()
    {
        var (token, group) = Steps.Submitting();
        Steps.Apply(group, new SubmissionNotSent(token, Steps.Transient()));
        Assert.Equal((OrderStatus.Submitting, OrderWork.Submit), (group[0].Status, group[0].WorkDue));

        var (work, decision) = OrderLifecycle.Claim(group, Guid.NewGuid(), Steps.Stamp(), Steps.Settings, Halt);

        output.WriteLine($"work {work}; events {string.Join(", ", Steps.EventNames(decision))}");
        Assert.Equal((OrderWork.None, OrderStatus.Rejected), (work, group[0].Status));
    }

    [Fact]
    public void Should_cancel_rather_than_reject_an_order_whose_cancel_was_asked()
    {
        var group = Steps.Accepted();
        group[0].CancelRequested = true;
        group[0].CancelReason = "client asked";

        var (_, decision) = OrderLifecycle.Claim(group, Guid.NewGuid(), Steps.Stamp(), Steps.Settings, Halt);

        output.WriteLine($"events {string.Join(", ", Steps.EventNames(decision))}");
        Assert.Equal(["OrderCancelled"], Steps.EventNames(decision));
    }

    [Fact]
    public void Should_not_touch_reconciliation_cancels_or_orders_without_a_halt()
    {
        var (_, group) = Steps.Submitting();
        var reconcile = OrderLifecycle.Claim(group, Guid.NewGuid(), Steps.Stamp(), Steps.Settings, null);
        var accepted = Steps.Accepted();
        var send = OrderLifecycle.Claim(accepted, Guid.NewGuid(), Steps.Stamp(), Steps.Settings, null);

        output.WriteLine($"no halt: send claim {send.Work}, status {accepted[0].Status}");
        Assert.Equal((OrderWork.Submit, OrderStatus.Submitting), (send.Work, accepted[0].Status));
        Assert.Equal(OrderStatus.Submitting, group[0].Status);
    }

    [Fact]
    public void Should_refuse_a_place_order_of_a_halted_scope_with_trading_halted()
    {
        var verdict = HaltVerdict.Of(Halt);
        var decision = OrderPlacement.Place(When_a_place_order_is_validated.Valid(), "fp", new Dictionary<Guid, OrderSaga>(), Steps.Stamp(), null, verdict);

        var rejected = Assert.Single(Steps.Events<OrderRejected>(decision));
        output.WriteLine($"{rejected.ReasonCode}: {rejected.Reason}");
        Assert.Equal(RejectionReasonCode.TradingHalted, rejected.ReasonCode);
        Assert.Null(HaltVerdict.Of(null));
    }

    [Theory]
    [InlineData(HaltScope.All, null, null, "*")]
    [InlineData(HaltScope.Account, " DU1 ", null, "DU1")]
    [InlineData(HaltScope.User, null, "alice", "alice")]
    [InlineData(HaltScope.Account, null, "alice", null)]
    [InlineData(HaltScope.User, "DU1", " ", null)]
    public void Should_store_each_scope_under_its_key(HaltScope scope, string? account, string? user, string? key)
    {
        output.WriteLine($"{scope} account '{account}' user '{user}' -> {key ?? "(refused)"}");
        Assert.Equal(key, HaltScopes.KeyOf(scope, account, user));
        Assert.Equal(scope, HaltScopes.Parse(HaltScopes.NameOf(scope)));
    }
}

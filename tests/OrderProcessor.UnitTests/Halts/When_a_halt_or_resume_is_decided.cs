using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.Persistence;
using Xunit.Abstractions;
using Steps = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Halts;

/// <summary>
/// What a halt or resume decides given what <c>trading_halts</c> holds (HaltDecisions: the decision PostgreSQL's
/// TradingHaltCommands and the lifecycle simulation share).
/// </summary>
public sealed class When_a_halt_or_resume_is_decided(ITestOutputHelper output)
{
    private static readonly DateTimeOffset HaltedAt = new(2026, 11, 30, 21, 0, 0, TimeSpan.Zero);

    private static HaltRequest Request(bool cancelWorking = false, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), HaltScope.Account, "DU1", null, "runaway strategy", cancelWorking, "ops");

    private static TradingHaltRow Active(bool cancelWorking = false) => new()
    {
        HaltId = Guid.NewGuid(),
        Scope = HaltScopes.Account,
        ScopeKey = "DU1",
        Reason = "first",
        CancelWorking = cancelWorking,
        HaltedBy = "ops",
        HaltedAt = HaltedAt,
        CancelSweptAt = HaltedAt.AddSeconds(1),
    };

    [Fact]
    public void Should_make_a_new_halt_when_the_scope_has_none()
    {
        var request = Request(cancelWorking: true);
        var outcome = HaltDecisions.Halt(request, "DU1", null, idUsed: false, Steps.Stamp());

        var halted = Assert.IsType<TradingHalted>(Assert.Single(outcome.Decision.Events).Event);
        output.WriteLine($"changed {outcome.Changed}; row {outcome.Halt?.Scope} {outcome.Halt?.ScopeKey}; event {halted.Scope} {halted.AccountId} cancel working {halted.CancelWorking}");
        Assert.True(outcome.Changed);
        Assert.Equal((request.HaltId, "account", "DU1", true), (outcome.Halt!.HaltId, outcome.Halt.Scope, outcome.Halt.ScopeKey, outcome.Halt.CancelWorking));
        Assert.Equal((request.HaltId, 0L, "DU1"), (halted.OrderId, halted.Sequence, halted.AccountId));
    }

    [Fact]
    public void Should_answer_with_the_active_halt_and_ask_its_sweep_again_for_cancel_working()
    {
        var active = Active();
        var outcome = HaltDecisions.Halt(Request(cancelWorking: true), "DU1", active, idUsed: false, Steps.Stamp());

        var halted = Assert.IsType<TradingHalted>(Assert.Single(outcome.Decision.Events).Event);
        output.WriteLine($"changed {outcome.Changed}; same row {ReferenceEquals(active, outcome.Halt)}; swept at {active.CancelSweptAt?.ToString("O") ?? "null"}; event of {halted.OrderId}");
        Assert.Same(active, outcome.Halt);
        Assert.True(outcome.Changed);
        Assert.True(active.CancelWorking);
        Assert.Null(active.CancelSweptAt);
        Assert.Equal((active.HaltId, "first"), (halted.OrderId, halted.Reason));

        var again = HaltDecisions.Halt(Request(), "DU1", active, idUsed: false, Steps.Stamp());
        output.WriteLine($"a plain halt of the halted scope: changed {again.Changed}");
        Assert.False(again.Changed);
        Assert.IsType<TradingHalted>(Assert.Single(again.Decision.Events).Event);
    }

    [Fact]
    public void Should_refuse_a_halt_id_of_a_halt_that_has_ended_and_a_halt_without_its_key()
    {
        var reused = HaltDecisions.Halt(Request(), "DU1", null, idUsed: true, Steps.Stamp());
        var invalid = HaltDecisions.Invalid(Request(), null, Steps.Stamp());

        var first = Assert.IsType<OrderRejected>(Assert.Single(reused.Decision.Events).Event);
        var second = Assert.IsType<OrderRejected>(Assert.Single(invalid!.Decision.Events).Event);
        output.WriteLine($"{first.ReasonCode}: {first.Reason} | {second.ReasonCode}: {second.Reason}");
        Assert.Null(reused.Halt);
        Assert.Equal(RejectionReasonCode.ConflictingDuplicate, first.ReasonCode);
        Assert.Equal(RejectionReasonCode.ValidationFailed, second.ReasonCode);
        Assert.Null(HaltDecisions.Invalid(Request(), "DU1", Steps.Stamp()));
    }

    [Fact]
    public void Should_end_the_active_halt_on_resume_and_refuse_a_resume_of_a_scope_not_halted()
    {
        var active = Active();
        var stamp = Steps.Stamp();
        var request = new ResumeRequest(Guid.NewGuid(), HaltScope.Account, "DU1", null, "fixed", "ops");

        var resumed = HaltDecisions.Resume(request, "DU1", active, stamp);
        var nothing = HaltDecisions.Resume(request, "DU1", null, stamp);

        var answer = Assert.IsType<TradingResumed>(Assert.Single(resumed.Decision.Events).Event);
        var refused = Assert.IsType<OrderRejected>(Assert.Single(nothing.Decision.Events).Event);
        output.WriteLine($"resumed at {active.ResumedAt:O} ({answer.Reason}); not halted: {refused.ReasonCode} {refused.Reason}");
        Assert.Equal(stamp.At, active.ResumedAt);
        Assert.Equal(active.HaltId, answer.OrderId);
        Assert.Equal(RejectionReasonCode.NotFound, refused.ReasonCode);
        Assert.Null(nothing.Halt);
    }
}

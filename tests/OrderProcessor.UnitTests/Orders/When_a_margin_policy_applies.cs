using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_a_margin_policy_applies
{
    private static WhatIfFigures Figures(decimal initialAfter, decimal equityAfter, string? error = null) => new("USD",
        new MarginFigure(1000, initialAfter - 1000, initialAfter), new MarginFigure(800, 100, 900), new MarginFigure(equityAfter, 0, equityAfter),
        1.25m, 1000m, null, error);

    private static (Guid Token, List<OrderSaga> Group) Checking(MarginCheckPolicy policy)
    {
        var group = Lifecycle.Accepted(When_a_place_order_is_validated.Valid() with { MarginCheck = policy });
        Assert.Equal(OrderWork.CheckMargin, group[0].WorkDue);
        var (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal((OrderWork.CheckMargin, OrderStatus.MarginChecking), (work, group[0].Status));
        return (token, group);
    }

    [Fact]
    public void Should_approve_and_go_on_to_submission_with_the_figures_in_the_event()
    {
        var (token, group) = Checking(MarginCheckPolicy.RejectOnExcessInitialMargin);
        var decision = Lifecycle.Apply(group, new MarginChecked(token, Figures(40_000, 100_000)));

        var completed = Assert.Single(Lifecycle.Events<MarginCheckCompleted>(decision));
        Assert.Equal((true, 40_000m), (completed.Approved!.Value, completed.Initial.After!.Value));
        Assert.Equal((OrderStatus.MarginApproved, OrderWork.Submit), (group[0].Status, group[0].WorkDue));
    }

    [Fact]
    public void Should_reject_when_post_trade_initial_margin_exceeds_the_share_of_equity()
    {
        var (token, group) = Checking(MarginCheckPolicy.RejectOnExcessInitialMargin);
        var decision = Lifecycle.Apply(group, new MarginChecked(token, Figures(60_000, 100_000)));

        Assert.False(Assert.Single(Lifecycle.Events<MarginCheckCompleted>(decision)).Approved);
        var rejected = Assert.Single(Lifecycle.Events<OrderRejected>(decision));
        Assert.Equal(RejectionReasonCode.MarginPolicy, rejected.ReasonCode);
        Assert.Contains("60,000.00", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Rejected, group[0].Status);
    }

    [Fact]
    public void Should_reject_on_ibkrs_error_and_ignore_the_share_for_the_error_only_policy()
    {
        Assert.True(MarginPolicy.Evaluate(MarginCheckPolicy.RejectOnBrokerError, Figures(90_000, 100_000), 0.5m).Approved);
        var (approved, reason) = MarginPolicy.Evaluate(MarginCheckPolicy.RejectOnBrokerError, Figures(1, 100_000, "insufficient funds"), 0.5m);
        Assert.False(approved);
        Assert.Contains("insufficient funds", reason, StringComparison.Ordinal);
    }
}

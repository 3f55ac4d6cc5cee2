using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// An order accepted with a control that needs IBKR's reference price: its first work is the what-if even without a
/// margin policy; the what-if's order value decides before anything is sent, and a reference-only what-if publishes no
/// MarginCheckCompleted.
/// </summary>
public sealed class When_an_order_needs_a_reference_price(ITestOutputHelper output)
{
    private static readonly RiskVerdict Band = new(null, null, null, 5m, true);

    private static WhatIfFigures Valued(decimal? amount) => new("USD",
        new MarginFigure(1000, 0, 1000), new MarginFigure(800, 0, 800), new MarginFigure(100_000, 0, 100_000), 1m, amount, null, null);

    private static (Guid Token, List<OrderSaga> Group) Checking(PlaceOrder command, RiskVerdict verdict)
    {
        var decision = OrderPlacement.Place(command, "fp", new Dictionary<Guid, OrderSaga>(), Lifecycle.Stamp(), risk: verdict);
        List<OrderSaga> group = [.. decision.Created.Where(o => o.SubmittedWithOrderId is null), .. decision.Created.Where(o => o.SubmittedWithOrderId is not null).OrderBy(o => o.ClientOrderId, StringComparer.Ordinal)];
        Assert.Equal((OrderWork.CheckMargin, true), (group[0].WorkDue, group[0].ReferenceCheck));
        var (token, work, _) = Lifecycle.Claim(group);
        Assert.Equal(OrderWork.CheckMargin, work);
        return (token, group);
    }

    [Fact]
    public void Should_check_first_and_send_a_limit_order_inside_the_band_without_a_margin_check_event()
    {
        // The valid order: buy 10 at limit 100, no margin policy; the what-if values 10 shares at 1,020.00 (reference 102.00).
        var (token, group) = Checking(When_a_place_order_is_validated.Valid(), Band);
        var decision = Lifecycle.Apply(group, new MarginChecked(token, Valued(1_020m)));

        output.WriteLine($"status {group[0].Status}, work {group[0].WorkDue}, events {string.Join(", ", decision.Events.Select(e => e.Event.GetType().Name))}");
        Assert.Empty(Lifecycle.Events<MarginCheckCompleted>(decision));
        Assert.Equal((OrderStatus.MarginApproved, OrderWork.Submit), (group[0].Status, group[0].WorkDue));
    }

    [Fact]
    public void Should_reject_the_whole_bracket_when_a_leg_is_outside_the_band()
    {
        // Bracket: buy 10 at 100, stop-loss 95, take-profit 110; reference 100.00: the take-profit is 10 % away (band 5 %).
        var (token, group) = Checking(Lifecycle.Bracket(), Band);
        var decision = Lifecycle.Apply(group, new MarginChecked(token, Valued(1_000m)));

        var rejected = Lifecycle.Events<OrderRejected>(decision).ToList();
        output.WriteLine(string.Join("; ", rejected.Select(r => $"{r.ReasonCode}: {r.Reason}")));
        Assert.Equal(3, rejected.Count);
        Assert.All(rejected, r => Assert.Equal(RejectionReasonCode.OutsidePriceBand, r.ReasonCode));
        Assert.Contains("limit 110.00 is 10.0 % from the reference price 100.00 (band 5 %)", rejected[0].Reason, StringComparison.Ordinal);
        Assert.All(group, o => Assert.Equal((OrderStatus.Rejected, OrderWork.None), (o.Status, o.WorkDue)));
        Assert.All(group, o => Assert.Equal(5m, o.RiskPriceBandPercent));
    }

    [Fact]
    public void Should_apply_the_margin_policy_after_the_reference_checks_pass()
    {
        var command = When_a_place_order_is_validated.Valid() with { MarginCheck = MarginCheckPolicy.RejectOnBrokerError };
        var (token, group) = Checking(command, Band);
        var decision = Lifecycle.Apply(group, new MarginChecked(token, Valued(1_000m)));

        output.WriteLine($"status {group[0].Status}, events {string.Join(", ", decision.Events.Select(e => e.Event.GetType().Name))}");
        Assert.Single(Lifecycle.Events<MarginCheckCompleted>(decision));
        Assert.Equal(OrderStatus.MarginApproved, group[0].Status);
    }

    [Fact]
    public void Should_reject_a_market_order_without_an_order_value_unless_allowed()
    {
        var market = When_a_place_order_is_validated.Valid() with { OrderType = OrderType.Market, LimitPrice = null };
        var verdict = new RiskVerdict(null, null, 50_000m, null, true);
        var (token, group) = Checking(market, verdict);
        var rejected = Lifecycle.Events<OrderRejected>(Lifecycle.Apply(group, new MarginChecked(token, Valued(null)))).SingleOrDefault();

        var (allowedToken, allowed) = Checking(market with { OrderId = Guid.NewGuid() }, verdict);
        OrderLifecycle.Apply(allowed, new MarginChecked(allowedToken, Valued(null)), Lifecycle.Stamp(), Lifecycle.Settings with { AllowWithoutReferencePrice = true });

        output.WriteLine($"reject: {rejected?.ReasonCode} {rejected?.Reason}; allow: {allowed[0].Status}");
        Assert.Equal(RejectionReasonCode.ReferencePriceUnavailable, rejected?.ReasonCode);
        Assert.Equal(OrderStatus.MarginApproved, allowed[0].Status);
    }

    [Fact]
    public void Should_keep_an_order_without_a_reference_control_on_its_usual_first_work()
    {
        var decision = OrderPlacement.Place(When_a_place_order_is_validated.Valid(), "fp", new Dictionary<Guid, OrderSaga>(), Lifecycle.Stamp(), risk: RiskVerdict.Pass);
        var order = decision.Created[0];

        Assert.Equal((OrderWork.Submit, false, (decimal?)null), (order.WorkDue, order.ReferenceCheck, order.RiskPriceBandPercent));
    }
}

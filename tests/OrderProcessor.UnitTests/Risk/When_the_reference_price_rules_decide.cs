using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Risk;

/// <summary>
/// The controls that need IBKR's reference price (the what-if's order value ÷ the leader's quantity): the notional of a
/// market or trailing-stop order, the distance of a limit price from the reference; without an order value, the setting decides.
/// </summary>
public sealed class When_the_reference_price_rules_decide(ITestOutputHelper output)
{
    private const int Conid = 265598;

    private static OrderSaga Ticket(OrderType type, OrderSide side, decimal quantity, decimal? limit = null, decimal? maxNotional = null, decimal? band = null,
        int conid = Conid) => new()
        {
            OrderId = Guid.NewGuid(),
            Conid = conid,
            Side = side,
            Quantity = quantity,
            OrderType = type,
            LimitPrice = limit,
            RiskMaxNotional = maxNotional,
            RiskPriceBandPercent = band,
            ReferenceCheck = true,
        };

    private RiskVerdict? Decide(decimal? amount, bool allow, params OrderSaga[] tickets)
    {
        var verdict = ReferencePriceRules.AgainstReference(tickets, amount, allow);
        output.WriteLine($"amount {amount?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, {string.Join(", ", tickets.Select(t => $"{t.Side} {t.Quantity} {t.OrderType} {t.LimitPrice}"))}: {verdict?.Code.ToString() ?? "passes"} {verdict?.Reason}");
        return verdict;
    }

    [Theory]
    [InlineData(OrderSide.Buy)]
    [InlineData(OrderSide.Sell)]
    public void Should_refuse_a_market_order_over_the_notional_at_the_reference_price_and_pass_one_under_it(OrderSide side)
    {
        // 1,000 shares at a reference of 150.00 (the what-if values them at 150,000.00) against a maximum of 100,000.
        var over = Decide(150_000m, false, Ticket(OrderType.Market, side, 1000, maxNotional: 100_000m));
        var under = Decide(90_000m, false, Ticket(OrderType.Market, side, 1000, maxNotional: 100_000m));
        var trailing = Decide(150_000m, false, Ticket(OrderType.TrailingStop, side, 1000, maxNotional: 100_000m));

        Assert.Equal(RejectionReasonCode.MaxNotionalExceeded, over?.Code);
        Assert.Equal("notional 150,000.00 (reference price 150.00 × 1000, from IBKR's what-if) exceeds the maximum of 100,000 per order", over?.Reason);
        Assert.Null(under);
        Assert.Equal(RejectionReasonCode.MaxNotionalExceeded, trailing?.Code);
    }

    [Theory]
    [InlineData(OrderSide.Buy, 104.9, false)]
    [InlineData(OrderSide.Buy, 105.1, true)]
    [InlineData(OrderSide.Buy, 95.1, false)]
    [InlineData(OrderSide.Buy, 94.9, true)]
    [InlineData(OrderSide.Sell, 105.1, true)]
    [InlineData(OrderSide.Sell, 94.9, true)]
    [InlineData(OrderSide.Sell, 100, false)]
    public void Should_refuse_a_limit_price_outside_the_band_in_either_direction(OrderSide side, double limit, bool refused)
    {
        // Reference 100.00 (10 shares valued 1,000.00), band 5 %.
        var verdict = Decide(1_000m, false, Ticket(OrderType.Limit, side, 10, (decimal)limit, band: 5m));

        Assert.Equal(refused ? RejectionReasonCode.OutsidePriceBand : null, verdict?.Code);
    }

    [Fact]
    public void Should_name_the_limit_the_reference_and_the_band_when_it_refuses()
    {
        var verdict = Decide(1_200m, false, Ticket(OrderType.Limit, OrderSide.Buy, 10, 150m, band: 10m));

        Assert.Equal("limit 150.00 is 25.0 % from the reference price 120.00 (band 10 %)", verdict?.Reason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_let_the_setting_decide_when_the_what_if_gives_no_order_value(bool allow)
    {
        var market = Decide(null, allow, Ticket(OrderType.Market, OrderSide.Buy, 10, maxNotional: 1_000m));
        var limit = Decide(null, allow, Ticket(OrderType.Limit, OrderSide.Buy, 10, 100m, band: 5m));

        if (allow)
        {
            Assert.Null(market);
            Assert.Null(limit);
        }
        else
        {
            Assert.Equal(RejectionReasonCode.ReferencePriceUnavailable, market?.Code);
            Assert.Equal("IBKR's what-if gave no order value; the notional of a market order could not be checked", market?.Reason);
            Assert.Equal(RejectionReasonCode.ReferencePriceUnavailable, limit?.Code);
        }
    }

    [Fact]
    public void Should_check_each_ticket_on_the_leaders_contract_with_the_leaders_reference_and_leave_other_contracts_alone()
    {
        // Leader: market buy of 100 valued 10,000.00 → reference 100.00. Take-profit 120 is 20 % away (band 10 %): refused.
        var leader = Ticket(OrderType.Market, OrderSide.Buy, 100, maxNotional: 50_000m, band: 10m);
        var takeProfit = Ticket(OrderType.Limit, OrderSide.Sell, 100, 120m, maxNotional: 50_000m, band: 10m);
        var otherContract = Ticket(OrderType.Limit, OrderSide.Sell, 100, 500m, maxNotional: 50_000m, band: 10m, conid: 8314);
        var stop = Ticket(OrderType.Stop, OrderSide.Sell, 100, maxNotional: 50_000m, band: 10m);

        var refused = Decide(10_000m, false, leader, takeProfit);
        var passes = Decide(10_000m, false, leader, stop, otherContract);

        Assert.Equal(RejectionReasonCode.OutsidePriceBand, refused?.Code);
        Assert.Contains("limit 120.00 is 20.0 %", refused?.Reason, StringComparison.Ordinal);
        Assert.Null(passes);
    }

    [Fact]
    public void Should_need_a_reference_only_for_market_orders_with_a_maximum_and_limit_orders_with_a_band()
    {
        RiskTicket Of(OrderType type, decimal? limit) => new(Conid, OrderSide.Buy, 10, type, limit, null);

        Assert.True(ReferencePriceRules.Needs(Of(OrderType.Market, null), 1_000m, null));
        Assert.False(ReferencePriceRules.Needs(Of(OrderType.Market, null), null, 5m));
        Assert.True(ReferencePriceRules.Needs(Of(OrderType.Limit, 100m), null, 5m));
        Assert.True(ReferencePriceRules.Needs(Of(OrderType.StopLimit, 100m), null, 5m));
        Assert.False(ReferencePriceRules.Needs(Of(OrderType.Limit, 100m), 1_000m, null));
        Assert.False(ReferencePriceRules.Needs(Of(OrderType.TrailingStopLimit, 1m), null, 5m));
    }

    [Fact]
    public void Should_judge_a_tiny_fractional_order_over_every_price_its_rounded_value_allows()
    {
        // 0.0003 units valued at 0.03 (IBKR rounds to the cent): the price lies between 83.33 and 116.67. A limit at 112
        // under a 5 % band is inside for some of it and outside for the rest: neither refused as outside nor passed.
        var cannotTell = Decide(0.03m, false, Ticket(OrderType.Limit, OrderSide.Buy, 0.0003m, limit: 112m, band: 5m));
        var allowed = Decide(0.03m, true, Ticket(OrderType.Limit, OrderSide.Buy, 0.0003m, limit: 112m, band: 5m));
        // A limit at 300 is outside the band at every price of that range.
        var outside = Decide(0.03m, false, Ticket(OrderType.Limit, OrderSide.Buy, 0.0003m, limit: 300m, band: 5m));
        // A $4 market order can never exceed a $1,000,000 maximum, whatever the rounding.
        var small = Decide(4.00m, false, Ticket(OrderType.Market, OrderSide.Buy, 0.02m, maxNotional: 1_000_000m));

        Assert.Equal(RejectionReasonCode.ReferencePriceUnavailable, cannotTell?.Code);
        Assert.Null(allowed);
        Assert.Equal(RejectionReasonCode.OutsidePriceBand, outside?.Code);
        Assert.Null(small);
    }

    [Fact]
    public void Should_count_an_uncapped_midprice_order_at_the_reference_price_and_band_a_capped_one()
    {
        var uncapped = Decide(150_000m, false, Ticket(OrderType.MidPrice, OrderSide.Buy, 1000, maxNotional: 100_000m));
        var capped = Decide(15_000m, false, Ticket(OrderType.MidPrice, OrderSide.Buy, 100, limit: 200m, band: 5m));

        Assert.Equal(RejectionReasonCode.MaxNotionalExceeded, uncapped?.Code);
        Assert.Equal(RejectionReasonCode.OutsidePriceBand, capped?.Code);
        Assert.True(ReferencePriceRules.Needs(new RiskTicket(Conid, OrderSide.Buy, 1000, OrderType.MidPrice, null, null), 100_000m, null));
        Assert.False(ReferencePriceRules.Needs(new RiskTicket(Conid, OrderSide.Buy, 1, OrderType.Limit, 5000m, null) { SecurityType = SecurityType.Future }, null, 5m));
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Risk;

/// <summary>
/// A cash-quantity order's notional is its cash, known on arrival whatever its type; the maximum quantity does not apply
/// to it (its units are not known before IBKR fills it); its price band needs a reference price its what-if cannot give.
/// </summary>
public sealed class When_a_cash_quantity_order_meets_the_risk_rules(ITestOutputHelper output)
{
    private static PlaceOrder Cash(decimal cash, OrderType type = OrderType.Market, decimal? limit = null) => new()
    {
        OrderId = Guid.NewGuid(),
        UserId = "alice",
        AccountId = "DU1",
        Conid = 265598,
        Side = OrderSide.Buy,
        CashQuantity = cash,
        OrderType = type,
        LimitPrice = limit,
        TimeInForce = TimeInForce.Day,
    };

    [Theory]
    [InlineData(OrderType.Market, null)]
    [InlineData(OrderType.Limit, 0.01)]
    public void Should_count_the_cash_as_the_notional_of_any_order_type(OrderType type, double? limit)
    {
        var tickets = RiskTicket.Of(Cash(1_000_000.01m, type, (decimal?)limit));

        var refused = RiskRules.Notional(tickets, 1_000_000m);
        var passed = RiskRules.Notional(RiskTicket.Of(Cash(1_000_000m, type, (decimal?)limit)), 1_000_000m);

        output.WriteLine(refused?.Reason);
        Assert.Equal(RejectionReasonCode.MaxNotionalExceeded, refused?.Code);
        Assert.Equal("notional 1,000,000.01 (the cash quantity) exceeds the maximum of 1,000,000 per order", refused?.Reason);
        Assert.Null(passed);
    }

    [Fact]
    public void Should_not_apply_the_maximum_quantity()
    {
        var tickets = RiskTicket.Of(Cash(50_000m));

        Assert.Equal((0m, (decimal?)50_000m), (tickets[0].Quantity, tickets[0].CashQuantity));
        Assert.Null(RiskRules.Quantity(tickets, 1m, "DU1"));
    }

    [Fact]
    public void Should_need_no_reference_price_for_its_notional_but_one_for_its_price_band()
    {
        var market = RiskTicket.Of(Cash(500m))[0];
        var limit = RiskTicket.Of(Cash(500m, OrderType.Limit, 100m))[0];

        Assert.False(ReferencePriceRules.Needs(market, maxNotionalForMarket: 1_000m, priceBandPercent: null));
        Assert.True(ReferencePriceRules.Needs(limit, maxNotionalForMarket: null, priceBandPercent: 5m));
    }

    [Fact]
    public void Should_refuse_a_banded_cash_limit_for_want_of_a_reference_price_unless_allowed()
    {
        var ticket = new OrderSaga
        {
            OrderId = Guid.NewGuid(),
            Conid = 265598,
            Side = OrderSide.Buy,
            CashQuantity = 500m,
            OrderType = OrderType.Limit,
            LimitPrice = 100m,
            RiskPriceBandPercent = 5m,
            RiskMaxNotional = 100m,
            ReferenceCheck = true,
        };

        // The what-if values the order at its cash (500): that is no price, so the band cannot be checked.
        var refused = ReferencePriceRules.AgainstReference([ticket], 500m, allowWithoutReference: false);
        var allowed = ReferencePriceRules.AgainstReference([ticket], 500m, allowWithoutReference: true);

        output.WriteLine(refused?.Reason);
        Assert.Equal(RejectionReasonCode.ReferencePriceUnavailable, refused?.Code);
        Assert.Null(allowed);
    }
}

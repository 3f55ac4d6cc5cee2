using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Risk;

/// <summary>The controls that need only the order and the limit: quantity and notional per ticket, with the limit in the reason.</summary>
public sealed class When_the_static_risk_rules_decide(ITestOutputHelper output)
{
    private static PlaceOrder Limit(decimal quantity, decimal price) => new()
    {
        OrderId = Guid.NewGuid(),
        UserId = "alice",
        AccountId = "DU1",
        Conid = 265598,
        Side = OrderSide.Buy,
        Quantity = quantity,
        OrderType = OrderType.Limit,
        LimitPrice = price,
        TimeInForce = TimeInForce.Day,
    };

    [Fact]
    public void Should_refuse_a_quantity_above_the_maximum_naming_it()
    {
        var verdict = RiskRules.Quantity(RiskTicket.Of(Limit(25_000, 1)), 10_000, "DU1");
        output.WriteLine(verdict?.Reason);
        Assert.Equal(RejectionReasonCode.MaxQuantityExceeded, verdict?.Code);
        Assert.Equal("quantity 25000 exceeds the maximum of 10000 per order (account DU1)", verdict?.Reason);
        Assert.Null(RiskRules.Quantity(RiskTicket.Of(Limit(10_000, 1)), 10_000, "DU1"));
        Assert.Null(RiskRules.Quantity(RiskTicket.Of(Limit(25_000, 1)), null, "DU1"));
    }

    [Fact]
    public void Should_refuse_a_notional_above_the_maximum_naming_price_quantity_and_limit()
    {
        var verdict = RiskRules.Notional(RiskTicket.Of(Limit(10_000, 125m)), 1_000_000m);
        output.WriteLine(verdict?.Reason);
        Assert.Equal(RejectionReasonCode.MaxNotionalExceeded, verdict?.Code);
        Assert.Equal("notional 1,250,000.00 (limit 125.00 × 10000) exceeds the maximum of 1,000,000 per order", verdict?.Reason);
        Assert.Null(RiskRules.Notional(RiskTicket.Of(Limit(10_000, 100m)), 1_000_000m));
    }

    [Fact]
    public void Should_check_every_ticket_of_a_bracket_at_its_own_price_and_leave_market_orders_to_the_reference_price()
    {
        var bracket = Limit(100, 50m) with
        {
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 40m },
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 120m },
        };
        var tickets = RiskTicket.Of(bracket);
        var verdict = RiskRules.Notional(tickets, 10_000m);
        var market = RiskRules.Notional(RiskTicket.Of(Limit(1_000_000, 1m) with { OrderType = OrderType.Market, LimitPrice = null }), 1m);
        output.WriteLine($"{tickets.Count} tickets ({string.Join(", ", tickets.Select(t => $"{t.Side} {t.OrderType} {t.ArrivalPrice}"))}): {verdict?.Reason}; market: {market?.Reason ?? "not checked"}");
        Assert.Equal([OrderSide.Buy, OrderSide.Sell, OrderSide.Sell], tickets.Select(t => t.Side));
        Assert.Equal("notional 12,000.00 (limit 120.00 × 100) exceeds the maximum of 10,000 per order", verdict?.Reason);
        Assert.Null(market);
    }

    [Fact]
    public void Should_count_a_midprice_order_at_its_cap_on_arrival()
    {
        // An adversarial review found 10,000 MIDPRICE capped at 900 passing a 1,000,000 maximum that LMT 900 is refused by.
        var capped = RiskRules.Notional(RiskTicket.Of(Limit(10_000, 900m) with { OrderType = OrderType.MidPrice }), 1_000_000m);

        output.WriteLine(capped?.Reason);
        Assert.Equal(RejectionReasonCode.MaxNotionalExceeded, capped?.Code);
    }
}

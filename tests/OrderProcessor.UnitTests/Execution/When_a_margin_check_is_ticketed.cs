using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>A standalone MarginCheck's ticket is built from its TicketTerms: each shape of order can be asked about.</summary>
public sealed class When_a_margin_check_is_ticketed
{
    private static MarginCheck Check => new()
    {
        CheckId = Guid.Parse("0b7c9a34-5f7e-4d61-9a3e-2f2b8c1d4e5f"),
        UserId = "alice",
        AccountId = "DU1",
        Conid = 12087792,
        Side = OrderSide.Sell,
        CashQuantity = 2500m,
        OrderType = OrderType.Market,
        SecurityType = SecurityType.Currency,
        Conidex = "12087792@IDEALPRO",
        CurrencyConversion = true,
    };

    [Fact]
    public void Should_carry_the_checks_fields_with_a_day_order_by_default()
    {
        var ticket = TicketMapper.For(Check);

        Assert.Equal((ClientOrderId.For(Check.CheckId), BrokerOrderSide.Sell, BrokerTimeInForce.Day), (ticket.ClientOrderId, ticket.Side, ticket.TimeInForce));
        Assert.Equal((0m, (decimal?)2500m, "CASH", "12087792@IDEALPRO", true), (ticket.Quantity, ticket.CashQuantity, ticket.SecType, ticket.Conidex, ticket.CurrencyConversion));
    }

    [Fact]
    public void Should_carry_an_algorithm_and_midprice()
    {
        var ticket = TicketMapper.For(Check with
        {
            CashQuantity = null,
            Quantity = 7,
            SecurityType = SecurityType.Stock,
            OrderType = OrderType.MidPrice,
            LimitPrice = 12.5m,
            TimeInForce = TimeInForce.GoodTillCancelled,
            Algo = new ExecutionAlgo { Strategy = "Adaptive", Parameters = new Dictionary<string, string> { ["adaptivePriority"] = "Patient" } },
            UseAdaptive = false,
            AllOrNone = true,
        });

        Assert.Equal((BrokerOrderType.MidPrice, (decimal?)12.5m, 7m, BrokerTimeInForce.Gtc), (ticket.OrderType, ticket.Price, ticket.Quantity, ticket.TimeInForce));
        Assert.Equal(("Adaptive", "Patient", true), (ticket.Strategy, ticket.StrategyParameters?["adaptivePriority"], ticket.AllOrNone));
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_a_midprice_order_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "MIDPRICE on a future", Future() with { OrderType = OrderType.MidPrice, LimitPrice = null }, "orderType", "midprice-security-type" },
        { "MIDPRICE on a currency", Currency() with { OrderType = OrderType.MidPrice, LimitPrice = null }, "orderType", "midprice-security-type" },
        { "MIDPRICE immediate-or-cancel", MidPrice() with { TimeInForce = TimeInForce.ImmediateOrCancel }, "timeInForce", "midprice-time-in-force" },
        { "MIDPRICE in the opening auction", MidPrice() with { TimeInForce = TimeInForce.AtTheOpening }, "timeInForce", "midprice-time-in-force" },
        { "MIDPRICE with a stop price", MidPrice() with { StopPrice = 95 }, "stopPrice", "not-allowed" },
        { "MIDPRICE with a trailing amount", MidPrice() with { TrailingAmount = 1 }, "trailingAmount", "not-allowed" },
        { "MIDPRICE with a trailing unit", MidPrice() with { TrailingUnit = TrailingUnit.Amount }, "trailingUnit", "not-allowed" },
        { "MIDPRICE with a zero cap", MidPrice() with { LimitPrice = 0 }, "limitPrice", "positive" },
        { "MIDPRICE as a bracket parent", MidPrice() with { TakeProfit = Leg(120) }, "orderType", "bracket-parent" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "MIDPRICE without a cap", MidPrice() },
        { "MIDPRICE capped", MidPrice() with { LimitPrice = 101.25m } },
        { "MIDPRICE until cancelled", MidPrice() with { TimeInForce = TimeInForce.GoodTillCancelled } },
        { "MIDPRICE in an OCA group", Stock() with { OcaGroup = new OcaGroup { Name = "g1", Orders = [Member() with { OrderType = OrderType.MidPrice, StopPrice = null }] } } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_a_stock_midprice_with_or_without_a_cap(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);
}

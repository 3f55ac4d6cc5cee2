using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_an_option_order_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "a trailing stop on an option", Option() with { OrderType = OrderType.TrailingStop, LimitPrice = null, StopPrice = 3, TrailingAmount = 0.5m, TrailingUnit = TrailingUnit.Amount }, "orderType", "option-order-type" },
        { "a trailing stop-limit on an option", Option() with { OrderType = OrderType.TrailingStopLimit, StopPrice = 3, LimitPrice = 2.9m, Side = OrderSide.Sell, TrailingAmount = 0.5m, TrailingUnit = TrailingUnit.Amount }, "orderType", "option-order-type" },
        { "MIDPRICE on an option", Option() with { OrderType = OrderType.MidPrice, LimitPrice = null }, "orderType", "option-order-type" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "an option limit", Option() },
        { "an option at market", Option() with { OrderType = OrderType.Market, LimitPrice = null } },
        { "an option stop", Option() with { OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 3 } },
        { "an option stop-limit", Option() with { OrderType = OrderType.StopLimit, StopPrice = 3, LimitPrice = 3.1m } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_the_order_types_options_take(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);
}

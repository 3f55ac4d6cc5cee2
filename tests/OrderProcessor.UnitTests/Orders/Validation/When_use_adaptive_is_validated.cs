using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_use_adaptive_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "useAdaptive on a stop order", Stock() with { UseAdaptive = true, OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 95 }, "useAdaptive", "use-adaptive-order-type" },
        { "useAdaptive on a MIDPRICE order", MidPrice() with { UseAdaptive = true }, "useAdaptive", "use-adaptive-order-type" },
        { "useAdaptive with an algo", Stock() with { UseAdaptive = true, Algo = Adaptive() }, "useAdaptive", "not-with-algo" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "useAdaptive on a limit order", Stock() with { UseAdaptive = true } },
        { "useAdaptive at market", Market() with { UseAdaptive = true } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_it_on_market_and_limit_orders(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);
}

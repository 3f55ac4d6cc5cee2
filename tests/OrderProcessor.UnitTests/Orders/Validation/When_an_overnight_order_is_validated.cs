using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_an_overnight_order_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "overnight at market", Market() with { TimeInForce = TimeInForce.Overnight }, "timeInForce", "overnight-order-type" },
        { "overnight-plus-day stop", Stock() with { OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 95, TimeInForce = TimeInForce.OvernightPlusDay }, "timeInForce", "overnight-order-type" },
        { "overnight future", Future() with { TimeInForce = TimeInForce.Overnight }, "timeInForce", "overnight-security-type" },
        { "overnight currency", Currency() with { TimeInForce = TimeInForce.OvernightPlusDay }, "timeInForce", "overnight-security-type" },
        { "overnight bracket (its stop-loss is a STP)", Stock() with { TimeInForce = TimeInForce.Overnight, StopLoss = Leg(90) }, "timeInForce", "overnight-order-type" },
        { "PAX", Stock() with { TimeInForce = TimeInForce.Pax }, "timeInForce", "not-supported" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "an overnight stock limit", Stock() with { TimeInForce = TimeInForce.Overnight } },
        { "an overnight-plus-day stock limit", Stock() with { TimeInForce = TimeInForce.OvernightPlusDay } },
        { "an overnight limit by cash amount", Cash() with { OrderType = OrderType.Limit, LimitPrice = 100, TimeInForce = TimeInForce.Overnight } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_a_stock_limit_in_the_overnight_session(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);

    [Fact]
    public void Should_say_which_order_of_the_bracket_cannot_be_overnight()
    {
        var violation = Assert.Single(PlaceOrderValidator.Validate(Stock() with { TimeInForce = TimeInForce.Overnight, StopLoss = Leg(90) }));
        Assert.Equal(("timeInForce", "overnight-order-type"), (violation.Field, violation.Rule));
        Assert.StartsWith("stopLoss.timeInForce OVT", violation.Message, StringComparison.Ordinal);
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_a_futures_order_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "a future without manualIndicator", Future() with { ManualIndicator = null }, "manualIndicator", "manual-indicator-required" },
        { "a stock with manualIndicator", Stock() with { ManualIndicator = true }, "manualIndicator", "manual-indicator-not-allowed" },
        { "a stock with manualIndicator false", Stock() with { ManualIndicator = false }, "manualIndicator", "manual-indicator-not-allowed" },
        { "an option with manualIndicator", Option() with { ManualIndicator = true }, "manualIndicator", "manual-indicator-not-allowed" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "entered by a system", Future() },
        { "entered by a person", Future() with { ManualIndicator = true } },
        { "a bracket on a future", Future() with { ManualIndicator = true, StopLoss = Leg(90), TakeProfit = Leg(110) } },
        { "a stop on a future", Future() with { OrderType = OrderType.Stop, LimitPrice = null, StopPrice = 95 } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_a_future_that_says_who_entered_it(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);

    [Fact]
    public void Should_say_that_ibkr_rejects_us_futures_orders_without_it_once_for_a_whole_bracket()
    {
        var violations = PlaceOrderValidator.Validate(Future() with { ManualIndicator = null, StopLoss = Leg(90), TakeProfit = Leg(110) });
        var violation = Assert.Single(violations);
        Assert.Equal(("manualIndicator", "manual-indicator-required"), (violation.Field, violation.Rule));
        Assert.Contains("IBKR rejects US futures orders", violation.Message, StringComparison.Ordinal);
    }
}

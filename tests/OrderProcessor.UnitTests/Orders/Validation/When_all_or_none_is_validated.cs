using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_all_or_none_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "all-or-none immediate-or-cancel", Stock() with { AllOrNone = true, TimeInForce = TimeInForce.ImmediateOrCancel }, "allOrNone", "all-or-none-ioc" },
        { "all-or-none of a currency", Currency() with { AllOrNone = true }, "allOrNone", "all-or-none-security-type" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "all-or-none for the day", Stock() with { AllOrNone = true } },
        { "all-or-none until cancelled", Stock() with { AllOrNone = true, TimeInForce = TimeInForce.GoodTillCancelled } },
        { "immediate-or-cancel without all-or-none", Stock() with { TimeInForce = TimeInForce.ImmediateOrCancel } },
        { "all-or-none of a future", Future() with { AllOrNone = true } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_an_all_or_none_order_that_can_wait(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);
}

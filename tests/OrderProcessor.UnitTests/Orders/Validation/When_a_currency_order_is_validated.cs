using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_a_currency_order_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "a currency conversion of a stock", Stock() with { CurrencyConversion = true }, "currencyConversion", "currency-conversion-security-type" },
        { "a currency conversion of a future", Future() with { CurrencyConversion = true }, "currencyConversion", "currency-conversion-security-type" },
        { "a currency order without a conidex", Currency() with { Conidex = null }, "conidex", "cash-needs-conidex" },
        { "a currency order with a conidex but no exchange", Currency() with { Conidex = $"{EurUsd}" }, "conidex", "cash-needs-conidex" },
        { "a currency order all-or-none", Currency() with { AllOrNone = true }, "allOrNone", "all-or-none-security-type" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "a forex order", Currency() },
        { "a currency conversion", Currency() with { CurrencyConversion = true } },
        { "a currency conversion at market by cash amount", Currency() with { CurrencyConversion = true, OrderType = OrderType.Market, LimitPrice = null, Quantity = null, CashQuantity = 1000 } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_a_routed_currency_order(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);
}

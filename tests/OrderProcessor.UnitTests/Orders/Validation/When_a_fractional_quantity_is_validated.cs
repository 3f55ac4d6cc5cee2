using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_a_fractional_quantity_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "half a future", Future() with { Quantity = 1.5m }, "quantity", "fractional-security-type" },
        { "a third of an option", Option() with { Quantity = 0.3333m }, "quantity", "fractional-security-type" },
        { "a fractional OCA member of a future", Future() with { OcaGroup = new OcaGroup { Name = "g1", Orders = [Member() with { Quantity = 0.5m }] } }, "ocaGroup.orders[0].quantity", "fractional-security-type" },
        { "five decimals of a stock", Stock() with { Quantity = 0.33333m }, "quantity", "max-decimals" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "a third of a share", Stock() with { Quantity = 0.3333m } },
        { "a fractional currency amount", Currency() with { Quantity = 1000.5m } },
        { "two futures written with decimals", Future() with { Quantity = 2.000m } },
        { "whole options", Option() },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_a_fraction_where_ibkr_has_none(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_fractions_of_stocks_and_currencies_and_whole_contracts(string scenario, PlaceOrder command) =>
        Passes(PlaceOrderValidator.Validate(command), scenario);
}

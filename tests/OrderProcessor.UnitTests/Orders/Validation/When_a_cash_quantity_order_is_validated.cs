using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_a_cash_quantity_order_is_validated
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "neither quantity nor cash quantity", Market() with { Quantity = null }, "quantity", "quantity-or-cash-quantity" },
        { "both quantity and cash quantity", Market() with { CashQuantity = 500 }, "cashQuantity", "quantity-or-cash-quantity" },
        { "cash quantity zero", Cash(0), "cashQuantity", "positive" },
        { "negative cash quantity", Cash(-500), "cashQuantity", "positive" },
        { "cash quantity beyond the bound", Cash(OrderLimits.MaxCashQuantity + 1), "cashQuantity", "max" },
        { "fractions of a cent", Cash(500.001m), "cashQuantity", "max-decimals" },
        { "cash quantity on a stop order", Cash() with { OrderType = OrderType.Stop, StopPrice = 90 }, "cashQuantity", "cash-quantity-order-type" },
        { "cash quantity on a MIDPRICE order", Cash() with { OrderType = OrderType.MidPrice }, "cashQuantity", "cash-quantity-order-type" },
        { "cash quantity for a future", Future() with { Quantity = null, CashQuantity = 500 }, "cashQuantity", "cash-quantity-security-type" },
        { "cash quantity for an option", Option() with { Quantity = null, CashQuantity = 500 }, "cashQuantity", "cash-quantity-security-type" },
        { "cash quantity with a stop-loss", Cash() with { StopLoss = Leg(90) }, "cashQuantity", "cash-quantity-not-in-group" },
        { "cash quantity with an OCA group", Cash() with { OcaGroup = new OcaGroup { Name = "g1", Orders = [Member()] } }, "cashQuantity", "cash-quantity-not-in-group" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "$500 of a stock at market", Cash() },
        { "$500 of a stock with a limit", Cash() with { OrderType = OrderType.Limit, LimitPrice = 187.33m } },
        { "cents", Cash(0.01m) },
        { "the largest amount", Cash(OrderLimits.MaxCashQuantity) },
        { "a currency amount", Currency() with { Quantity = null, CashQuantity = 25_000.5m } },
        { "trailing zeros beyond cents", Cash(500.1000m) },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_its_valid_shapes(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);

    [Fact]
    public void Should_not_blame_the_legs_for_the_quantity_the_cash_order_does_not_have()
    {
        // The stop-loss takes the parent's size: one violation on the parent says what is wrong, not a second on "quantity".
        var violations = PlaceOrderValidator.Validate(Cash() with { OrderType = OrderType.Limit, LimitPrice = 100, StopLoss = Leg(90) });
        Assert.Equal(["cashQuantity/cash-quantity-not-in-group"], violations.Select(v => $"{v.Field}/{v.Rule}"));
    }
}

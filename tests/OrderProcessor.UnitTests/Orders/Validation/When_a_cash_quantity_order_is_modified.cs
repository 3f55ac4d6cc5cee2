using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_a_cash_quantity_order_is_modified
{
    /// <summary>A working cash-quantity order: no quantity of its own (IBKR sized it from the cash amount).</summary>
    private static OrderSaga CashOrder(OrderType type = OrderType.Limit) =>
        new() { OrderId = Guid.NewGuid(), Quantity = null, CashQuantity = 500m, OrderType = type, LimitPrice = type == OrderType.Limit ? 100 : null, TimeInForce = TimeInForce.Day, FilledQuantity = 0.3333m };

    private static OrderSaga Order(OrderType type, decimal? limit = null) =>
        new() { OrderId = Guid.NewGuid(), Quantity = 10, OrderType = type, LimitPrice = limit, TimeInForce = TimeInForce.Day };

    private static ModifyOrder Modify(decimal? quantity = null, decimal? limit = null, TimeInForce? tif = null) =>
        new() { OrderId = Guid.NewGuid(), UserId = "alice", Quantity = quantity, LimitPrice = limit, TimeInForce = tif };

    public static TheoryData<string, OrderSaga, ModifyOrder, string, string> Broken => new()
    {
        { "a new quantity for a cash order", CashOrder(), Modify(quantity: 5), "quantity", "cash-quantity-order" },
        { "a new quantity for a cash market order", CashOrder(OrderType.Market), Modify(quantity: 5), "quantity", "cash-quantity-order" },
        { "overnight for a market order", Order(OrderType.Market), Modify(tif: TimeInForce.Overnight), "timeInForce", "overnight-order-type" },
        { "PAX", Order(OrderType.Limit, 100), Modify(tif: TimeInForce.Pax), "timeInForce", "not-supported" },
        { "immediate-or-cancel for a MIDPRICE order", Order(OrderType.MidPrice), Modify(tif: TimeInForce.ImmediateOrCancel), "timeInForce", "midprice-time-in-force" },
        { "the opening auction for a stop", Order(OrderType.Stop), Modify(tif: TimeInForce.AtTheOpening), "timeInForce", "opg-market-or-limit" },
    };

    public static TheoryData<string, OrderSaga, ModifyOrder> Valid => new()
    {
        { "a new limit for a cash order", CashOrder(), Modify(limit: 99.5m) },
        { "a new time in force for a cash order", CashOrder(), Modify(tif: TimeInForce.GoodTillCancelled) },
        { "a new cap for a MIDPRICE order", Order(OrderType.MidPrice), Modify(limit: 101) },
        { "overnight for a limit order", Order(OrderType.Limit, 100), Modify(tif: TimeInForce.Overnight) },
        { "a new quantity for a quantity order", Order(OrderType.Limit, 100), Modify(quantity: 12) },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, OrderSaga order, ModifyOrder command, string field, string rule)
    {
        var violations = ModifyOrderValidator.Validate(order, command);
        Assert.True(violations.Any(v => v.Field == field && v.Rule == rule),
            $"{scenario}: expected {field}/{rule}, got [{string.Join("; ", violations.Select(v => $"{v.Field}/{v.Rule}"))}]");
    }

    [Fact]
    public void Should_refuse_a_new_quantity_for_a_cash_order_once_whatever_it_is()
    {
        // Smaller than what is filled: still the one reason (the quantity cannot change), not a second about the fill.
        var violation = Assert.Single(ModifyOrderValidator.Validate(CashOrder(), Modify(quantity: 0.1m)));
        Assert.Equal(("quantity", "cash-quantity-order"), (violation.Field, violation.Rule));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_what_can_change(string scenario, OrderSaga order, ModifyOrder command)
    {
        var violations = ModifyOrderValidator.Validate(order, command);
        Assert.True(violations.Count == 0, $"{scenario}: got [{string.Join("; ", violations.Select(v => $"{v.Field}/{v.Rule}"))}]");
    }
}

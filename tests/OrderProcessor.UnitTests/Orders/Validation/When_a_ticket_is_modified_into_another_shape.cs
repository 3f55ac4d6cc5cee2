using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

/// <summary>
/// A ModifyOrder resends the whole ticket: the order as the change leaves it is judged by the rules of a new order for
/// its security type and instructions (an adversarial review found an all-or-none order modified to IOC and a future
/// modified to 1.5 units both passing).
/// </summary>
public sealed class When_a_ticket_is_modified_into_another_shape
{
    private static OrderSaga Working(PlaceOrder placed) => Orders.Lifecycle.Accepted(placed)[0];

    public static TheoryData<string, PlaceOrder, ModifyOrder, string, string> Refusals => new()
    {
        { "an all-or-none order to IOC", Stock() with { AllOrNone = true }, new ModifyOrder { TimeInForce = TimeInForce.ImmediateOrCancel }, "allOrNone", "all-or-none-ioc" },
        { "a future to overnight", Future(), new ModifyOrder { TimeInForce = TimeInForce.Overnight }, "timeInForce", "overnight-security-type" },
        { "a future to a fractional quantity", Future(), new ModifyOrder { Quantity = 1.5m }, "quantity", "fractional-security-type" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Should_refuse_it_by_the_rule_a_new_order_would_break(string scenario, PlaceOrder placed, ModifyOrder change, string field, string rule)
    {
        var order = Working(placed);

        Refused(ModifyOrderValidator.Validate(order, change with { OrderId = order.OrderId }), field, rule, scenario);
    }

    [Fact]
    public void Should_pass_a_change_a_new_order_could_have()
    {
        var future = Working(Future());
        var stock = Working(Stock() with { AllOrNone = true });

        Passes(ModifyOrderValidator.Validate(future, new ModifyOrder { OrderId = future.OrderId, Quantity = 2, TimeInForce = TimeInForce.GoodTillCancelled }), "future");
        Passes(ModifyOrderValidator.Validate(stock, new ModifyOrder { OrderId = stock.OrderId, TimeInForce = TimeInForce.GoodTillCancelled, LimitPrice = 99 }), "all-or-none stock");
    }
}

using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;
using OrderProcessor.UnitTests.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// An order placed with a cash quantity is sent as one: cashQty with quantity 0 (IBKR's schema requires quantity), in
/// its own ticket, its reference what-if (still a cash order, at market) and its modifications (the limit may change,
/// the quantity may not).
/// </summary>
public sealed class When_a_cash_quantity_order_is_ticketed(ITestOutputHelper output)
{
    // Validation of cash quantities is another part's: the saga is made a cash order after the placement.
    private static List<OrderSaga> CashOrder(RiskVerdict? risk = null)
    {
        var decision = OrderPlacement.Place(When_a_place_order_is_validated.Valid(), "fp", new Dictionary<Guid, OrderSaga>(), Orders.Lifecycle.Stamp(), risk: risk);
        var order = decision.Created.Single();
        (order.Quantity, order.CashQuantity) = (null, 500m);
        return [order];
    }

    [Fact]
    public void Should_send_the_cash_and_no_units()
    {
        var ticket = TicketMapper.For(CashOrder()[0]);

        output.WriteLine($"{ticket.OrderType} quantity {ticket.Quantity} cash {ticket.CashQuantity} limit {ticket.Price}");
        Assert.Equal((0m, (decimal?)500m, BrokerOrderType.Limit, (decimal?)100m), (ticket.Quantity, ticket.CashQuantity, ticket.OrderType, ticket.Price));
    }

    [Fact]
    public void Should_ask_the_reference_what_if_as_a_cash_order_at_market()
    {
        var group = CashOrder(new RiskVerdict(null, null, null, 5m, true));
        Assert.True(group[0].ReferenceCheck);

        var ticket = TicketMapper.ForWhatIf(group)[0];

        Assert.Equal((BrokerOrderType.Market, 0m, (decimal?)500m, (decimal?)null), (ticket.OrderType, ticket.Quantity, ticket.CashQuantity, ticket.Price));
    }

    [Fact]
    public void Should_keep_the_cash_when_the_limit_is_modified_and_refuse_a_quantity()
    {
        var order = CashOrder()[0];

        var modified = TicketMapper.For(order, new ModifyOrder { OrderId = order.OrderId, LimitPrice = 99m });
        var resized = Assert.Throws<InvalidOperationException>(() => TicketMapper.For(order, new ModifyOrder { OrderId = order.OrderId, Quantity = 3m }));

        output.WriteLine(resized.Message);
        Assert.Equal((99m, 0m, (decimal?)500m), (modified.Price, modified.Quantity, modified.CashQuantity));
    }

    [Fact]
    public void Should_ask_the_what_if_of_an_overnight_order_at_day()
    {
        var group = CashOrder(new RiskVerdict(null, null, null, 5m, true));
        group[0].TimeInForce = TimeInForce.Overnight;

        Assert.Equal(BrokerTimeInForce.Ovt, TicketMapper.ForGroup(group)[0].TimeInForce);
        Assert.Equal(BrokerTimeInForce.Day, TicketMapper.ForWhatIf(group)[0].TimeInForce);
    }
}

using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// IBKR values a limit order at its own limit price: the what-if of an order that needs the reference price is asked
/// with the leader's ticket at market, the legs unchanged; an order without the check keeps its own tickets.
/// </summary>
public sealed class When_a_what_if_is_asked_for_a_reference_price(ITestOutputHelper output)
{
    [Fact]
    public void Should_ask_with_the_leader_at_market_and_the_legs_as_they_are()
    {
        var decision = OrderPlacement.Place(Orders.Lifecycle.Bracket() with { OutsideRegularHours = true }, "fp", new Dictionary<Guid, OrderSaga>(), Orders.Lifecycle.Stamp(),
            risk: new RiskVerdict(null, null, null, 5m, true));
        List<OrderSaga> group = [.. decision.Created.Where(o => o.SubmittedWithOrderId is null), .. decision.Created.Where(o => o.SubmittedWithOrderId is not null)];

        var tickets = TicketMapper.ForWhatIf(group);
        var own = TicketMapper.ForGroup(group);

        output.WriteLine(string.Join("; ", tickets.Select(t => $"{t.OrderType} {t.Price} {t.ParentClientOrderId}")));
        Assert.Equal((BrokerOrderType.Market, (decimal?)null, false), (tickets[0].OrderType, tickets[0].Price, tickets[0].OutsideRegularTradingHours));
        Assert.Equal((own[0].ClientOrderId, own[0].Quantity, own[0].Side), (tickets[0].ClientOrderId, tickets[0].Quantity, tickets[0].Side));
        Assert.Equal(own.Skip(1), tickets.Skip(1));
        Assert.Equal(BrokerOrderType.Limit, own[0].OrderType);
    }

    [Fact]
    public void Should_keep_the_orders_own_tickets_without_a_reference_check()
    {
        var group = Orders.Lifecycle.Accepted(Orders.Lifecycle.Bracket() with { MarginCheck = MarginCheckPolicy.RejectOnBrokerError });

        Assert.Equal(TicketMapper.ForGroup(group), TicketMapper.ForWhatIf(group));
    }
}

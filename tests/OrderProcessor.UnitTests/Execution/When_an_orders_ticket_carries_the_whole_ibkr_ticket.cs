using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;
using OrderProcessor.UnitTests.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// A PlaceOrder's ticket fields (issue 16) are kept on the saga and reach the guard's ticket: every field the processor
/// accepts is sent (or the mapping throws), bracket legs carry the instrument details but not the parent's algorithm or
/// flags, and no order type or time in force silently becomes another.
/// </summary>
public sealed class When_an_orders_ticket_carries_the_whole_ibkr_ticket(ITestOutputHelper output)
{
    private static PlaceOrder Future() => When_a_place_order_is_validated.Valid() with
    {
        SecurityType = SecurityType.Future,
        ListingExchange = "CME",
        Conidex = "265598@CME",
        ManualIndicator = false,
        AllOrNone = true,
    };

    // Adaptive works stock orders only (the validator refuses it on a future).
    private static PlaceOrder AdaptiveStock() => When_a_place_order_is_validated.Valid() with
    {
        Algo = new ExecutionAlgo { Strategy = "Adaptive", Parameters = new Dictionary<string, string> { ["adaptivePriority"] = "Normal" } },
    };

    [Fact]
    public void Should_send_each_field_the_order_was_placed_with()
    {
        var order = Orders.Lifecycle.Accepted(Future())[0];
        var adaptive = Orders.Lifecycle.Accepted(AdaptiveStock())[0];

        var ticket = TicketMapper.For(order);
        var adaptiveTicket = TicketMapper.For(adaptive);

        output.WriteLine($"saga {order.SecurityType} {order.ListingExchange} {order.Conidex} AON {order.AllOrNone} MI {order.ManualIndicator}; {adaptive.AlgoStrategy} {adaptive.AlgoParameters}");
        Assert.Equal(("FUT", "CME", "265598@CME"), (ticket.SecType, ticket.ListingExchange, ticket.Conidex));
        Assert.Equal(("Adaptive", "Normal"), (adaptiveTicket.Strategy, adaptiveTicket.StrategyParameters?["adaptivePriority"]));
        Assert.Equal((true, false, false, false), (ticket.AllOrNone, ticket.ManualIndicator, ticket.UseAdaptive, ticket.CurrencyConversion));
        Assert.Equal((10m, (decimal?)null), (ticket.Quantity, ticket.CashQuantity));
    }

    [Fact]
    public void Should_leave_out_what_a_plain_order_does_not_ask_for()
    {
        var ticket = TicketMapper.For(Orders.Lifecycle.Accepted()[0]);

        Assert.Equal(((string?)null, (string?)null, (string?)null, (string?)null, (bool?)null), (ticket.SecType, ticket.ListingExchange, ticket.Conidex, ticket.Strategy, ticket.ManualIndicator));
        Assert.False(ticket.AllOrNone || ticket.UseAdaptive || ticket.CurrencyConversion);
    }

    [Fact]
    public void Should_give_bracket_legs_the_instrument_and_manual_indicator_but_not_the_parents_algorithm_or_all_or_none()
    {
        var group = Orders.Lifecycle.Accepted(Future() with
        {
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95 },
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 110 },
        });

        var tickets = TicketMapper.ForGroup(group);

        output.WriteLine(string.Join(" | ", tickets.Select(t => $"{t.OrderType} {t.SecType} {t.Conidex} MI {t.ManualIndicator} {t.Strategy} AON {t.AllOrNone}")));
        Assert.All(tickets.Skip(1), leg => Assert.Equal(("FUT", "CME", "265598@CME", (bool?)false), (leg.SecType, leg.ListingExchange, leg.Conidex, leg.ManualIndicator)));
        Assert.All(tickets.Skip(1), leg => Assert.False(leg.AllOrNone));

        var adaptiveGroup = TicketMapper.ForGroup(Orders.Lifecycle.Accepted(AdaptiveStock() with
        {
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 95 },
        }));
        Assert.Equal("Adaptive", adaptiveGroup[0].Strategy);
        Assert.All(adaptiveGroup.Skip(1), leg => Assert.Null(leg.Strategy));
    }

    [Fact]
    public void Should_give_an_oca_member_on_the_same_contract_its_instrument_and_one_on_another_contract_none()
    {
        // A group of stocks may span contracts (a member names no security type of its own: it is taken for a stock).
        var group = Orders.Lifecycle.Accepted(When_a_place_order_is_validated.Valid() with
        {
            ListingExchange = "NASDAQ",
            Conidex = "265598@NASDAQ",
            OcaGroup = new OcaGroup
            {
                Name = "exit",
                Orders =
                [
                    new OrderLeg { OrderId = Guid.NewGuid(), Side = OrderSide.Sell, Quantity = 10, OrderType = OrderType.Limit, LimitPrice = 110 },
                    new OrderLeg { OrderId = Guid.NewGuid(), Conid = 8314, Side = OrderSide.Sell, Quantity = 10, OrderType = OrderType.Limit, LimitPrice = 50 },
                ],
            },
        });

        var tickets = TicketMapper.ForGroup(group);
        var same = tickets.Single(t => t.Conid == 265598 && t.ClientOrderId != group[0].ClientOrderId);
        var other = tickets.Single(t => t.Conid == 8314);

        output.WriteLine(string.Join(" | ", tickets.Select(t => $"{t.Conid} {t.SecType} {t.ListingExchange} {t.Conidex}")));
        Assert.Equal(("NASDAQ", "265598@NASDAQ"), (same.ListingExchange, same.Conidex));
        Assert.Equal(((string?)null, (string?)null, (string?)null), (other.SecType, other.ListingExchange, other.Conidex));
    }

    [Fact]
    public void Should_give_a_conversions_exits_the_conversion()
    {
        var group = Orders.Lifecycle.Accepted(When_a_place_order_is_validated.Valid() with
        {
            Conid = 12087792,
            SecurityType = SecurityType.Currency,
            Conidex = "12087792@IDEALPRO",
            CurrencyConversion = true,
            Quantity = 1000,
            LimitPrice = 1.08m,
            StopLoss = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 1.07m },
            TakeProfit = new AttachedOrder { OrderId = Guid.NewGuid(), Price = 1.09m },
        });

        var tickets = TicketMapper.ForGroup(group);

        Assert.Equal(3, tickets.Count);
        Assert.All(tickets, t => Assert.Equal((true, "CASH", "12087792@IDEALPRO"), (t.CurrencyConversion, t.SecType, t.Conidex)));
    }

    [Fact]
    public void Should_keep_the_fields_when_a_modification_is_applied()
    {
        var order = Orders.Lifecycle.Accepted(Future())[0];
        var adaptive = Orders.Lifecycle.Accepted(AdaptiveStock())[0];

        var ticket = TicketMapper.For(order, new ModifyOrder { OrderId = order.OrderId, LimitPrice = 101m });
        var adaptiveTicket = TicketMapper.For(adaptive, new ModifyOrder { OrderId = adaptive.OrderId, LimitPrice = 101m });

        Assert.Equal((101m, "FUT", true, (bool?)false), (ticket.Price, ticket.SecType, ticket.AllOrNone, ticket.ManualIndicator));
        Assert.Equal((101m, "Adaptive"), (adaptiveTicket.Price, adaptiveTicket.Strategy));
    }

    [Fact]
    public void Should_map_every_order_type_and_time_in_force_to_its_own_ibkr_value()
    {
        var order = Orders.Lifecycle.Accepted()[0];
        var types = Enum.GetValues<OrderType>().Select(type => TicketMapper.For(Terms(order) with { OrderType = type }, "c", null).OrderType).ToList();
        var tifs = Enum.GetValues<TimeInForce>().Select(tif => TicketMapper.For(Terms(order) with { TimeInForce = tif }, "c", null).TimeInForce).ToList();

        output.WriteLine($"{string.Join(", ", types)} / {string.Join(", ", tifs)}");
        // The mapping used to turn MIDPRICE into TRAILLMT and OVT/OND/PAX into DAY: each must be distinct.
        Assert.Equal(Enum.GetValues<OrderType>().Length, types.Distinct().Count());
        Assert.Equal(Enum.GetValues<TimeInForce>().Length, tifs.Distinct().Count());
        Assert.Equal(BrokerOrderType.MidPrice, TicketMapper.For(Terms(order) with { OrderType = OrderType.MidPrice }, "c", null).OrderType);
        Assert.Equal([BrokerTimeInForce.Ovt, BrokerTimeInForce.Ond, BrokerTimeInForce.Pax], tifs.TakeLast(3));
    }

    private static TicketTerms Terms(OrderSaga order) => order.Terms();
}

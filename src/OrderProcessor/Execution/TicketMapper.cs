using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>Builds the IBKR tickets of a submission group: the leader first, then the legs or OCA members it carries.</summary>
public static class TicketMapper
{
    public static IReadOnlyList<OrderTicket> ForGroup(IReadOnlyList<OrderSaga> group)
    {
        var leader = group[0];
        var isOca = leader.OcaGroup is not null;
        return group.Select(order => For(order) with
        {
            ParentClientOrderId = order.ParentOrderId == leader.OrderId ? leader.ClientOrderId : null,
            IsSingleGroup = isOca,
        }).ToList();
    }

    /// <summary>
    /// The tickets of a group's what-if. An order accepted with a reference check asks it with the leader's ticket at
    /// market: IBKR values a limit (or stop) order at its own price, so only a market ticket's order value gives the
    /// contract's reference price (a what-if places nothing; its margin figures are then those of a market order).
    /// </summary>
    public static IReadOnlyList<OrderTicket> ForWhatIf(IReadOnlyList<OrderSaga> group)
    {
        var tickets = ForGroup(group);
        if (group.Count == 0 || !group[0].ReferenceCheck)
        {
            return tickets;
        }

        // Outside regular hours IBKR refuses many market orders; the flag does not change the order value, so it is left off.
        // For the same reason an overnight time in force (IBKR takes only limit orders overnight) becomes DAY. Everything
        // else stays: a cash-quantity order is valued as the cash order it is, with its instrument details and algorithm.
        var leader = tickets[0] with
        {
            OrderType = BrokerOrderType.Market,
            Price = null,
            AuxPrice = null,
            TrailingAmount = null,
            TrailingType = null,
            OutsideRegularTradingHours = false,
            TimeInForce = tickets[0].TimeInForce is BrokerTimeInForce.Ovt or BrokerTimeInForce.Ond ? BrokerTimeInForce.Day : tickets[0].TimeInForce,
        };
        return [leader, .. tickets.Skip(1)];
    }

    /// <summary>The ticket of a standalone MarginCheck (a what-if only: no cOID is registered at IBKR by it).</summary>
    public static OrderTicket For(MarginCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        var terms = TicketTerms.Of(check);
        return For(terms with { TimeInForce = terms.TimeInForce ?? TimeInForce.Day }, ClientOrderId.For(check.CheckId), change: null);
    }

    /// <summary>The ticket of one order, with an optional pending modification applied (IBKR wants the whole ticket).</summary>
    public static OrderTicket For(OrderSaga order, ModifyOrder? change = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        return For(order.Terms(), order.ClientOrderId, change);
    }

    /// <summary>
    /// The ticket of <paramref name="terms"/>: every field the order asks for reaches IBKR or the mapping throws (a field
    /// silently dropped would trade something other than what was asked). A modification keeps the instrument details,
    /// the algorithm and the flags: IBKR replaces the whole ticket.
    /// </summary>
    public static OrderTicket For(TicketTerms terms, string clientOrderId, ModifyOrder? change)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var type = terms.OrderType ?? throw new InvalidOperationException($"order {clientOrderId} has no order type");
        var limit = change?.LimitPrice ?? terms.LimitPrice;
        var stop = change?.StopPrice ?? terms.StopPrice;
        // IBKR: `price` is the limit price, and the stop price of STP and TRAIL; `auxPrice` is the stop of STOP_LIMIT and TRAILLMT.
        // MIDPRICE's optional `price` is its cap.
        var (price, auxPrice) = type switch
        {
            OrderType.Stop or OrderType.TrailingStop => (stop, (decimal?)null),
            OrderType.StopLimit or OrderType.TrailingStopLimit => (limit, stop),
            _ => (limit, null),
        };
        if (terms.CashQuantity is not null && change?.Quantity is not null)
        {
            // Validation refuses this (cash-quantity-order); a ticket with both would ask IBKR for something else than either.
            throw new InvalidOperationException($"order {clientOrderId} trades a cash quantity: its quantity cannot be modified");
        }

        return new OrderTicket
        {
            ClientOrderId = clientOrderId,
            Conid = terms.Conid ?? throw new InvalidOperationException($"order {clientOrderId} has no conid"),
            Side = terms.Side == OrderSide.Sell ? BrokerOrderSide.Sell : BrokerOrderSide.Buy,
            OrderType = BrokerOrderTypeOf(type),
            // A cash-quantity ticket sends quantity 0 beside cashQty (see OrderTicket.Quantity).
            Quantity = terms.CashQuantity is not null ? 0 : change?.Quantity ?? terms.Quantity ?? 0,
            CashQuantity = terms.CashQuantity,
            TimeInForce = BrokerTimeInForceOf(change?.TimeInForce ?? terms.TimeInForce),
            Price = price,
            AuxPrice = auxPrice,
            TrailingAmount = change?.TrailingAmount ?? terms.TrailingAmount,
            TrailingType = terms.TrailingUnit switch
            {
                TrailingUnit.Amount => BrokerTrailingType.Amount,
                TrailingUnit.Percent => BrokerTrailingType.Percent,
                _ => null,
            },
            OutsideRegularTradingHours = terms.OutsideRegularHours,
            // Sent only when the command named it: IBKR knows a conid's asset class, and the ticket stays as it was before.
            SecType = terms.SecurityType is { } securityType ? SecTypeOf(securityType) : null,
            ListingExchange = terms.ListingExchange,
            Conidex = terms.Conidex,
            Strategy = terms.Algo?.Strategy,
            StrategyParameters = terms.Algo?.Parameters,
            UseAdaptive = terms.UseAdaptive,
            AllOrNone = terms.AllOrNone,
            ManualIndicator = terms.ManualIndicator,
            CurrencyConversion = terms.CurrencyConversion,
        };
    }

    /// <summary>IBKR's <c>secType</c> code of a security type.</summary>
    public static string SecTypeOf(SecurityType securityType) => securityType switch
    {
        SecurityType.Stock => "STK",
        SecurityType.Option => "OPT",
        SecurityType.Future => "FUT",
        SecurityType.Currency => "CASH",
        _ => throw new ArgumentOutOfRangeException(nameof(securityType), securityType, "no IBKR secType for this security type"),
    };

    private static BrokerOrderType BrokerOrderTypeOf(OrderType type) => type switch
    {
        OrderType.Market => BrokerOrderType.Market,
        OrderType.Limit => BrokerOrderType.Limit,
        OrderType.Stop => BrokerOrderType.Stop,
        OrderType.StopLimit => BrokerOrderType.StopLimit,
        OrderType.TrailingStop => BrokerOrderType.Trail,
        OrderType.TrailingStopLimit => BrokerOrderType.TrailLimit,
        OrderType.MidPrice => BrokerOrderType.MidPrice,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no IBKR order type for this order type"),
    };

    // A missing time in force is a day order, as the validator defaults it; an unknown one throws rather than become DAY.
    private static BrokerTimeInForce BrokerTimeInForceOf(TimeInForce? timeInForce) => timeInForce switch
    {
        null or TimeInForce.Day => BrokerTimeInForce.Day,
        TimeInForce.GoodTillCancelled => BrokerTimeInForce.Gtc,
        TimeInForce.ImmediateOrCancel => BrokerTimeInForce.Ioc,
        TimeInForce.AtTheOpening => BrokerTimeInForce.Opg,
        TimeInForce.Overnight => BrokerTimeInForce.Ovt,
        TimeInForce.OvernightPlusDay => BrokerTimeInForce.Ond,
        TimeInForce.Pax => BrokerTimeInForce.Pax,
        _ => throw new ArgumentOutOfRangeException(nameof(timeInForce), timeInForce, "no IBKR time in force for this one"),
    };
}

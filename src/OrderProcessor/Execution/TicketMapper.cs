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
        var leader = tickets[0] with
        {
            OrderType = BrokerOrderType.Market,
            Price = null,
            AuxPrice = null,
            TrailingAmount = null,
            TrailingType = null,
            OutsideRegularTradingHours = false,
        };
        return [leader, .. tickets.Skip(1)];
    }

    /// <summary>The ticket of a standalone MarginCheck (a what-if only: no cOID is registered at IBKR by it).</summary>
    public static OrderTicket For(MarginCheck check) => For(new OrderSaga
    {
        OrderId = check.CheckId,
        ClientOrderId = ClientOrderId.For(check.CheckId),
        Conid = check.Conid,
        Side = check.Side,
        Quantity = check.Quantity,
        OrderType = check.OrderType,
        LimitPrice = check.LimitPrice,
        StopPrice = check.StopPrice,
        TimeInForce = check.TimeInForce ?? TimeInForce.Day,
    });

    /// <summary>The ticket of one order, with an optional pending modification applied (IBKR wants the whole ticket).</summary>
    public static OrderTicket For(OrderSaga order, ModifyOrder? change = null)
    {
        var type = order.OrderType ?? throw new InvalidOperationException($"order {order.OrderId} has no order type");
        var limit = change?.LimitPrice ?? order.LimitPrice;
        var stop = change?.StopPrice ?? order.StopPrice;
        // IBKR: `price` is the limit price, and the stop price of STP and TRAIL; `auxPrice` is the stop of STOP_LIMIT and TRAILLMT.
        var (price, auxPrice) = type switch
        {
            OrderType.Stop or OrderType.TrailingStop => (stop, (decimal?)null),
            OrderType.StopLimit or OrderType.TrailingStopLimit => (limit, stop),
            _ => (limit, null),
        };
        return new OrderTicket
        {
            ClientOrderId = order.ClientOrderId,
            Conid = order.Conid ?? throw new InvalidOperationException($"order {order.OrderId} has no conid"),
            Side = order.Side == OrderSide.Sell ? BrokerOrderSide.Sell : BrokerOrderSide.Buy,
            OrderType = type switch
            {
                OrderType.Market => BrokerOrderType.Market,
                OrderType.Limit => BrokerOrderType.Limit,
                OrderType.Stop => BrokerOrderType.Stop,
                OrderType.StopLimit => BrokerOrderType.StopLimit,
                OrderType.TrailingStop => BrokerOrderType.Trail,
                _ => BrokerOrderType.TrailLimit,
            },
            Quantity = change?.Quantity ?? order.Quantity ?? 0,
            TimeInForce = (change?.TimeInForce ?? order.TimeInForce) switch
            {
                TimeInForce.GoodTillCancelled => BrokerTimeInForce.Gtc,
                TimeInForce.ImmediateOrCancel => BrokerTimeInForce.Ioc,
                TimeInForce.AtTheOpening => BrokerTimeInForce.Opg,
                _ => BrokerTimeInForce.Day,
            },
            Price = price,
            AuxPrice = auxPrice,
            TrailingAmount = change?.TrailingAmount ?? order.TrailingAmount,
            TrailingType = order.TrailingUnit switch
            {
                TrailingUnit.Amount => BrokerTrailingType.Amount,
                TrailingUnit.Percent => BrokerTrailingType.Percent,
                _ => null,
            },
            OutsideRegularTradingHours = order.OutsideRegularHours,
        };
    }
}

using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>One order a PlaceOrder creates (the parent, each bracket leg, each OCA member), as the risk controls see it.</summary>
public sealed record RiskTicket(int Conid, OrderSide Side, decimal Quantity, OrderType OrderType, decimal? LimitPrice, decimal? StopPrice)
{
    /// <summary>
    /// The price the notional is counted at when the order arrives: the limit price of a limit order (LMT, STOP_LIMIT,
    /// TRAILLMT), the stop price of a stop order; null for market and trailing-stop orders (no price of their own).
    /// </summary>
    public decimal? ArrivalPrice => OrderType switch
    {
        OrderType.Limit or OrderType.StopLimit or OrderType.TrailingStopLimit => LimitPrice,
        OrderType.Stop => StopPrice,
        _ => null,
    };

    /// <summary>The tickets of a valid PlaceOrder, in the order they are created; the legs take the opposite side.</summary>
    public static IReadOnlyList<RiskTicket> Of(PlaceOrder command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var conid = command.Conid!.Value;
        var side = command.Side!.Value;
        var quantity = command.Quantity!.Value;
        var opposite = side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
        var tickets = new List<RiskTicket> { new(conid, side, quantity, command.OrderType!.Value, command.LimitPrice, command.StopPrice) };
        if (command.StopLoss is { } stopLoss)
        {
            tickets.Add(new RiskTicket(conid, opposite, quantity, OrderType.Stop, null, stopLoss.Price));
        }

        if (command.TakeProfit is { } takeProfit)
        {
            tickets.Add(new RiskTicket(conid, opposite, quantity, OrderType.Limit, takeProfit.Price, null));
        }

        foreach (var other in command.OcaGroup?.Orders ?? [])
        {
            tickets.Add(new RiskTicket(other.Conid ?? conid, other.Side!.Value, other.Quantity!.Value, other.OrderType!.Value, other.LimitPrice, other.StopPrice));
        }

        return tickets;
    }
}

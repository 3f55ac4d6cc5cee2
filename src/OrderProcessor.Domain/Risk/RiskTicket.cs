using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// One order a PlaceOrder creates (the parent, each bracket leg, each OCA member), as the risk controls see it. An order
/// placed with a cash quantity has <see cref="Quantity"/> 0 and its <see cref="CashQuantity"/>: its units are not known
/// before IBKR fills it.
/// </summary>
public sealed record RiskTicket(int Conid, OrderSide Side, decimal Quantity, OrderType OrderType, decimal? LimitPrice, decimal? StopPrice)
{
    /// <summary>The cash amount of an order placed with one (its notional, whatever its type); null otherwise.</summary>
    public decimal? CashQuantity { get; init; }

    /// <summary>The asset class (a stock when the command left it out).</summary>
    public SecurityType SecurityType { get; init; } = SecurityType.Stock;

    /// <summary>
    /// The price the notional is counted at when the order arrives: the limit price of a limit order (LMT, STOP_LIMIT,
    /// TRAILLMT) and the cap of a MIDPRICE order (the most a BUY pays), the stop price of a stop order; null for market,
    /// trailing-stop and uncapped MIDPRICE orders (no price of their own: counted at IBKR's reference price instead).
    /// </summary>
    public decimal? ArrivalPrice => OrderType switch
    {
        OrderType.Limit or OrderType.StopLimit or OrderType.TrailingStopLimit or OrderType.MidPrice => LimitPrice,
        OrderType.Stop => StopPrice,
        _ => null,
    };

    /// <summary>The ticket of one order's terms (validated: conid, side and order type present).</summary>
    public static RiskTicket Of(TicketTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        return new RiskTicket(terms.Conid!.Value, terms.Side!.Value, terms.CashQuantity is null ? terms.Quantity!.Value : 0, terms.OrderType!.Value,
            terms.LimitPrice, terms.StopPrice)
        {
            CashQuantity = terms.CashQuantity,
            SecurityType = terms.EffectiveSecurityType,
        };
    }

    /// <summary>The tickets of a valid PlaceOrder, in the order they are created; the legs take the opposite side.</summary>
    public static IReadOnlyList<RiskTicket> Of(PlaceOrder command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var tickets = new List<RiskTicket> { Of(TicketTerms.Of(command)) };
        if (command.StopLoss is { } stopLoss)
        {
            tickets.Add(Of(TicketTerms.Of(stopLoss, command, stopLoss: true)));
        }

        if (command.TakeProfit is { } takeProfit)
        {
            tickets.Add(Of(TicketTerms.Of(takeProfit, command, stopLoss: false)));
        }

        var others = command.OcaGroup?.Orders ?? [];
        for (var index = 0; index < others.Count; index++)
        {
            tickets.Add(Of(TicketTerms.Of(others[index], command, index)));
        }

        return tickets;
    }
}

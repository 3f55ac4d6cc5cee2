namespace OrderProcessor.Orders;

/// <summary>IBKR's view of one order, from the live orders (or, for an order IBKR no longer lists, from its trades).</summary>
/// <param name="ClientOrderId">The cOID (IBKR's <c>order_ref</c>).</param>
/// <param name="BrokerOrderId">IBKR's order id.</param>
/// <param name="State">IBKR's status.</param>
/// <param name="FilledQuantity">Filled so far.</param>
/// <param name="RemainingQuantity">Still open, when IBKR says.</param>
/// <param name="AveragePrice">Average fill price, if anything filled.</param>
public sealed record BrokerOrderObservation(
    string ClientOrderId,
    string BrokerOrderId,
    BrokerOrderState State,
    decimal FilledQuantity,
    decimal? RemainingQuantity,
    decimal? AveragePrice)
{
    /// <summary>
    /// Of two reports of one order (a list that names it twice, a poll and a reconciliation), the one that knows
    /// more: an ended state over a working one, then the larger fill.
    /// </summary>
    public static BrokerOrderObservation MostAdvanced(BrokerOrderObservation a, BrokerOrderObservation b)
    {
        var (endedA, endedB) = (BrokerOrderStates.IsEnded(a.State), BrokerOrderStates.IsEnded(b.State));
        if (endedA != endedB)
        {
            return endedA ? a : b;
        }

        return b.FilledQuantity > a.FilledQuantity ? b : a;
    }
}

namespace OrderProcessor.Simulator.Rules;

/// <summary>
/// How a cash-quantity order ends once its cash is spent. IBKR's o10223 text: the order "uses a maximum size that is
/// calculated using the Cash Quantity Estimate Factor" and IBKR "simulates the order by cancelling it once the specified
/// amount is spent (for buy orders) or collected (for sell orders)". What the Web API then reports is not published.
/// </summary>
public enum CashQuantityEnding
{
    /// <summary>Filled, its size becoming what it filled (the default: the reading the issue takes).</summary>
    Filled,

    /// <summary>
    /// The harder reading: its size is the maximum (what the cash buys at the reference price on acceptance, plus the
    /// <see cref="FractionalQuantity.CashQuantityEstimateFactor"/>), and once the cash is spent IBKR cancels the rest:
    /// Cancelled, with a filled quantity below its total size.
    /// </summary>
    CancelledWhenSpent,
}

namespace OrderProcessor.Cli.Demo;

/// <summary>
/// The demo's orders of IBKR's fuller ticket (issue 16), by role, so the summary can check each one as IBKR got and
/// filled it (the simulator's ledger).
/// </summary>
/// <param name="CashOrder">A market order for a cash amount instead of a quantity.</param>
/// <param name="Cash">Its cash quantity: IBKR fills ⌊cash / price⌋ to 0.0001 share.</param>
/// <param name="MidPriceOrder">A MIDPRICE order, filled at the midpoint of the pinned quote.</param>
/// <param name="Bid">The pinned quote's bid.</param>
/// <param name="Ask">The pinned quote's ask.</param>
/// <param name="AdaptiveOrder">A limit order worked by IBKR's Adaptive algo (priority Normal).</param>
/// <param name="FutureOrder">A US future (ES), which IBKR refuses without its manual indicator (sent as false).</param>
public sealed record DemoTickets(Guid CashOrder, decimal Cash, Guid MidPriceOrder, decimal Bid, decimal Ask, Guid AdaptiveOrder, Guid FutureOrder)
{
    public decimal Midpoint => (Bid + Ask) / 2m;
}

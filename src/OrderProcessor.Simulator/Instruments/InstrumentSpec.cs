namespace OrderProcessor.Simulator.Instruments;

/// <summary>
/// What the simulator knows of one conid: IBKR's contract details that change how an order is checked and filled.
/// </summary>
/// <param name="Conid">IBKR's contract id.</param>
/// <param name="SecType">IBKR's asset class (<see cref="SecTypes"/>).</param>
/// <param name="Symbol">The ticker live orders and trades show.</param>
/// <param name="ListingExchange">Where it is listed (live orders' <c>listingExchange</c>).</param>
/// <param name="Currency">The currency it trades in (and a cash quantity is counted in).</param>
/// <param name="FractionalEligible">Whether a quantity may have decimals (to 4 places) and a cash quantity is taken.</param>
/// <param name="Multiplier">Contract multiplier: the notional of one unit is price × multiplier (1 for stocks and currencies).</param>
/// <param name="TickSize">The smallest price step; the unpinned price path is rounded to it.</param>
/// <param name="BasePrice">Centre of the price path; null: from the conid's hash (20–200), as every stock before the catalog.</param>
/// <param name="Exchanges">Where an order may be routed (<c>listingExchange</c> / <c>conidex</c>'s exchange), SMART first.</param>
public sealed record InstrumentSpec(
    int Conid,
    string SecType,
    string Symbol,
    string ListingExchange,
    string Currency,
    bool FractionalEligible,
    decimal Multiplier,
    decimal TickSize,
    decimal? BasePrice,
    IReadOnlyList<string> Exchanges)
{
    public bool IsStock => SecType == SecTypes.Stock;

    public bool IsFuture => SecType == SecTypes.Future;

    public bool IsCurrency => SecType == SecTypes.Currency;

    /// <summary>What one unit of the quantity is called in a what-if's amount ("10 Shares", "2 Contracts", "1,000 EUR").</summary>
    public string UnitName => SecType switch
    {
        SecTypes.Future or SecTypes.Option => "Contracts",
        SecTypes.Currency => Symbol.Split('.')[0],
        _ => "Shares",
    };
}

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// One order of an IBKR <c>singleOrderSubmissionRequest</c>, as parsed from the request body. <see cref="Quantity"/> is 0
/// for a cash-quantity ticket that left it out (see <see cref="OrderTicketParser"/>).
/// </summary>
public sealed record OrderTicket(
    int Conid,
    string OrderType,
    string Side,
    decimal Quantity,
    string Tif,
    decimal? Price,
    decimal? AuxPrice,
    decimal? TrailingAmt,
    string? TrailingType,
    string? COID,
    string? ParentId,
    bool IsSingleGroup,
    string? AcctId,
    bool OutsideRth)
{
    /// <summary><c>cashQty</c>: the amount of the instrument's currency to spend (BUY) or collect (SELL).</summary>
    public decimal? CashQty { get; init; }

    /// <summary><c>secType</c>, e.g. "STK"; must be the conid's when given.</summary>
    public string? SecType { get; init; }

    /// <summary><c>listingExchange</c>: where to route (SMART when absent).</summary>
    public string? ListingExchange { get; init; }

    /// <summary><c>conidex</c>: "conid" or "conid@EXCHANGE".</summary>
    public string? Conidex { get; init; }

    /// <summary><c>strategy</c>: an execution algo's id, e.g. "Adaptive".</summary>
    public string? Strategy { get; init; }

    /// <summary><c>strategyParameters</c>, each value as the text it had (IBKR's values are strings, sometimes booleans).</summary>
    public IReadOnlyDictionary<string, string>? StrategyParameters { get; init; }

    /// <summary><c>useAdaptive</c>: IBKR's Price Management Algo.</summary>
    public bool UseAdaptive { get; init; }

    /// <summary><c>allOrNone</c>: fill entirely at once or not at all.</summary>
    public bool AllOrNone { get; init; }

    /// <summary><c>manualIndicator</c>: null when absent (IBKR rejects a US futures order without it).</summary>
    public bool? ManualIndicator { get; init; }

    /// <summary><c>isCcyConv</c>: a forex order that converts currency instead of opening a virtual FX position.</summary>
    public bool IsCcyConv { get; init; }

    public bool IsCashQuantity => CashQty is not null;
}

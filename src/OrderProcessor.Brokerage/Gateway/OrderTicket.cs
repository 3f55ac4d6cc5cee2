namespace OrderProcessor.Brokerage.Gateway;

/// <summary>
/// One order as the guard sends it to IBKR. <see cref="ClientOrderId"/> is IBKR's cOID: unique within 24 h, and later
/// visible as <c>order_ref</c> in the live orders. Bracket children carry their parent's cOID in
/// <see cref="ParentClientOrderId"/>; every ticket of an OCA group has <see cref="IsSingleGroup"/> set.
/// </summary>
public sealed record OrderTicket
{
    public required string ClientOrderId { get; init; }

    public required int Conid { get; init; }

    public required BrokerOrderSide Side { get; init; }

    public required BrokerOrderType OrderType { get; init; }

    /// <summary>
    /// Units to trade; 0 on a cash-quantity ticket (<see cref="CashQuantity"/>): IBKR's schema requires <c>quantity</c>,
    /// and a cash order's units are IBKR's to decide (its TWS API leaves totalQuantity at 0 beside cashQty too).
    /// </summary>
    public required decimal Quantity { get; init; }

    /// <summary>A cash amount to trade instead of units (IBKR's <c>cashQty</c>).</summary>
    public decimal? CashQuantity { get; init; }

    public BrokerTimeInForce TimeInForce { get; init; } = BrokerTimeInForce.Day;

    /// <summary>Limit price; for STP and TRAIL the stop price.</summary>
    public decimal? Price { get; init; }

    /// <summary>Stop price of STOP_LIMIT and TRAILLMT.</summary>
    public decimal? AuxPrice { get; init; }

    public decimal? TrailingAmount { get; init; }

    public BrokerTrailingType? TrailingType { get; init; }

    public string? ParentClientOrderId { get; init; }

    public bool IsSingleGroup { get; init; }

    public bool OutsideRegularTradingHours { get; init; }

    /// <summary>IBKR's asset class code (<c>STK</c>, <c>OPT</c>, <c>FUT</c>, <c>CASH</c>); not sent when null.</summary>
    public string? SecType { get; init; }

    public string? ListingExchange { get; init; }

    /// <summary><c>conid@EXCHANGE</c>: the contract with its routing destination.</summary>
    public string? Conidex { get; init; }

    /// <summary>An execution algorithm's name (IBKR's <c>strategy</c>), e.g. <c>Adaptive</c>.</summary>
    public string? Strategy { get; init; }

    /// <summary>The algorithm's parameters by IBKR's names (<c>strategyParameters</c>); only with <see cref="Strategy"/>.</summary>
    public IReadOnlyDictionary<string, string>? StrategyParameters { get; init; }

    /// <summary>IBKR's price-management algo (<c>useAdaptive</c>).</summary>
    public bool UseAdaptive { get; init; }

    public bool AllOrNone { get; init; }

    /// <summary>IBKR's <c>manualIndicator</c>: sent whenever set, false included (US futures orders must carry it).</summary>
    public bool? ManualIndicator { get; init; }

    /// <summary>A forex order that converts currency (IBKR's <c>isCcyConv</c>).</summary>
    public bool CurrencyConversion { get; init; }

    public string? Ticker { get; init; }
}

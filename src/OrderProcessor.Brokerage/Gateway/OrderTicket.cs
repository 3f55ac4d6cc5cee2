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

    public required decimal Quantity { get; init; }

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

    public string? SecType { get; init; }

    public string? Ticker { get; init; }
}

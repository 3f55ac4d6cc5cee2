using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>
/// Place an order at IBKR for a user's account. Idempotent by <see cref="OrderId"/>: the same command delivered or
/// published again has no further effect; a different command with the same id is rejected as a conflicting
/// duplicate. Answered by <see cref="OrderAccepted"/> or <see cref="OrderRejected"/>, then the lifecycle events.
/// </summary>
public sealed record PlaceOrder
{
    /// <summary>The order's id, chosen by the upstream system; IBKR's client order id (<c>cOID</c>) is derived from it.</summary>
    public Guid OrderId { get; init; }

    /// <summary>The PiTrade user whose brokerage session places the order.</summary>
    public string? UserId { get; init; }

    /// <summary>The IBKR account (e.g. <c>DU1234567</c>), which must belong to the user.</summary>
    public string? AccountId { get; init; }

    /// <summary>The IBKR contract id of the instrument.</summary>
    public int? Conid { get; init; }

    /// <summary>Buy or sell.</summary>
    public OrderSide? Side { get; init; }

    /// <summary>How many units; positive, at most 4 decimals. Exactly one of this and <see cref="CashQuantity"/>.</summary>
    public decimal? Quantity { get; init; }

    /// <summary>The order type.</summary>
    public OrderType? OrderType { get; init; }

    /// <summary>Limit price: required for LMT, STOP_LIMIT and TRAILLMT; optional for MIDPRICE (a cap); not allowed otherwise.</summary>
    public decimal? LimitPrice { get; init; }

    /// <summary>Stop price: required for STP, STOP_LIMIT, TRAIL and TRAILLMT; not allowed otherwise.</summary>
    public decimal? StopPrice { get; init; }

    /// <summary>Trailing amount: required for TRAIL and TRAILLMT; not allowed otherwise.</summary>
    public decimal? TrailingAmount { get; init; }

    /// <summary>Unit of <see cref="TrailingAmount"/>: required with it.</summary>
    public TrailingUnit? TrailingUnit { get; init; }

    /// <summary>How long the order stays working.</summary>
    public TimeInForce? TimeInForce { get; init; }

    // The ticket fields below (issue 16) are left out of the JSON while unset, as Intended is: a command sent before they
    // existed keeps its fingerprint and inbox content hash, so its redelivery after the upgrade is still a repeat.
    /// <summary>
    /// A cash amount to trade instead of a quantity (IBKR's <c>cashQty</c>, "buy $500 of AAPL"), filled in fractional
    /// units: exactly one of <c>quantity</c> and <c>cashQuantity</c>.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public decimal? CashQuantity { get; init; }

    /// <summary>IBKR's asset class of the instrument (<c>secType</c>); <c>STK</c> when left out.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public SecurityType? SecurityType { get; init; }

    /// <summary>The instrument's listing exchange (e.g. <c>NASDAQ</c>, <c>CME</c>), where IBKR needs it to tell listings apart.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? ListingExchange { get; init; }

    /// <summary>The contract id with a routing destination, <c>conid@EXCHANGE</c> (e.g. <c>15016138@IDEALPRO</c>); its conid must be <c>conid</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public string? Conidex { get; init; }

    /// <summary>An IBKR execution algorithm to work the order (IBKR's <c>strategy</c> and <c>strategyParameters</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ExecutionAlgo? Algo { get; init; }

    /// <summary>IBKR's price-management algo (<c>useAdaptive</c>), which may improve the price of a marketable order.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool UseAdaptive { get; init; }

    /// <summary>Fill the whole quantity at once or nothing (IBKR's <c>allOrNone</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool AllOrNone { get; init; }

    /// <summary>
    /// Whether a person entered the order (true) or a system did (false): IBKR's <c>manualIndicator</c>, required on
    /// every futures order and refused on others.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool? ManualIndicator { get; init; }

    /// <summary>A currency order that converts cash rather than opening a forex position (IBKR's <c>isCcyConv</c>); only for <c>CASH</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CurrencyConversion { get; init; }

    /// <summary>Whether the order may work outside regular trading hours.</summary>
    public bool OutsideRegularHours { get; init; }

    /// <summary>Optional stop-loss leg of a bracket.</summary>
    public AttachedOrder? StopLoss { get; init; }

    /// <summary>Optional take-profit leg of a bracket.</summary>
    public AttachedOrder? TakeProfit { get; init; }

    /// <summary>Optional one-cancels-all group placed together with this order.</summary>
    public OcaGroup? OcaGroup { get; init; }

    /// <summary>Whether IBKR's what-if must approve the order before it is submitted.</summary>
    public MarginCheckPolicy MarginCheck { get; init; }

    /// <summary>
    /// The sender means this order even though it looks like a recent one (same account, contract, side, quantity and
    /// price): the duplicate guard lets it through. Left out of the JSON when false, so commands without it keep their
    /// fingerprint.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Intended { get; init; }
}

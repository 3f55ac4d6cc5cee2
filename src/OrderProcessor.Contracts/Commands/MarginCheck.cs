using System.Text.Json.Serialization;

namespace OrderProcessor.Contracts;

/// <summary>
/// Ask IBKR's what-if what an order would do to the account's margin, without placing it. Answered by
/// <see cref="MarginCheckCompleted"/> (published, and sent as the response when the sender made a request).
/// </summary>
public sealed record MarginCheck
{
    /// <summary>An id for this check; the <see cref="MarginCheckCompleted"/> carries it as its order id.</summary>
    public Guid CheckId { get; init; }

    /// <summary>The PiTrade user whose brokerage session runs the check.</summary>
    public string? UserId { get; init; }

    /// <summary>The IBKR account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The IBKR contract id of the instrument.</summary>
    public int? Conid { get; init; }

    /// <summary>Buy or sell.</summary>
    public OrderSide? Side { get; init; }

    /// <summary>How many units.</summary>
    public decimal? Quantity { get; init; }

    /// <summary>The order type.</summary>
    public OrderType? OrderType { get; init; }

    /// <summary>Limit price, where the order type has one.</summary>
    public decimal? LimitPrice { get; init; }

    /// <summary>Stop price, where the order type has one.</summary>
    public decimal? StopPrice { get; init; }

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

    /// <summary>Time in force.</summary>
    public TimeInForce? TimeInForce { get; init; }
}

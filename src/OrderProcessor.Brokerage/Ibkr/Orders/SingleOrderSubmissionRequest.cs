using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>One order ticket as IBKR's schema singleOrderSubmissionRequest names and types it. Null fields are not sent.</summary>
public sealed record SingleOrderSubmissionRequest
{
    [JsonPropertyName("acctId")]
    public string? AcctId { get; init; }

    [JsonPropertyName("conid")]
    public required int Conid { get; init; }

    [JsonPropertyName("secType")]
    public string? SecType { get; init; }

    [JsonPropertyName("conidex")]
    public string? Conidex { get; init; }

    [JsonPropertyName("listingExchange")]
    public string? ListingExchange { get; init; }

    [JsonPropertyName("cOID")]
    public string? COID { get; init; }

    [JsonPropertyName("parentId")]
    public string? ParentId { get; init; }

    [JsonPropertyName("isSingleGroup")]
    public bool? IsSingleGroup { get; init; }

    [JsonPropertyName("outsideRTH")]
    public bool? OutsideRth { get; init; }

    [JsonPropertyName("orderType")]
    public required string OrderType { get; init; }

    [JsonPropertyName("price")]
    public decimal? Price { get; init; }

    [JsonPropertyName("auxPrice")]
    public decimal? AuxPrice { get; init; }

    [JsonPropertyName("trailingAmt")]
    public decimal? TrailingAmt { get; init; }

    [JsonPropertyName("trailingType")]
    public string? TrailingType { get; init; }

    [JsonPropertyName("side")]
    public required string Side { get; init; }

    [JsonPropertyName("ticker")]
    public string? Ticker { get; init; }

    [JsonPropertyName("tif")]
    public required string Tif { get; init; }

    [JsonPropertyName("quantity")]
    public required decimal Quantity { get; init; }

    [JsonPropertyName("cashQty")]
    public decimal? CashQty { get; init; }

    [JsonPropertyName("strategy")]
    public string? Strategy { get; init; }

    /// <summary>An object of strings by the algorithm's parameter names, e.g. <c>{"adaptivePriority":"Normal"}</c>.</summary>
    [JsonPropertyName("strategyParameters")]
    public IReadOnlyDictionary<string, string>? StrategyParameters { get; init; }

    [JsonPropertyName("useAdaptive")]
    public bool? UseAdaptive { get; init; }

    [JsonPropertyName("allOrNone")]
    public bool? AllOrNone { get; init; }

    [JsonPropertyName("manualIndicator")]
    public bool? ManualIndicator { get; init; }

    [JsonPropertyName("isCcyConv")]
    public bool? IsCcyConv { get; init; }
}

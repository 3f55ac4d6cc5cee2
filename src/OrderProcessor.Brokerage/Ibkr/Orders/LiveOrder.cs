using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>One order of the live-orders answer; numbers arrive as numbers or strings and are read leniently.</summary>
public sealed class LiveOrder
{
    [JsonPropertyName("acct")]
    public string? Acct { get; init; }

    [JsonPropertyName("conid")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Conid { get; init; }

    [JsonPropertyName("orderId")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? OrderId { get; init; }

    [JsonPropertyName("status")]
    public string? Status { get; init; }

    [JsonPropertyName("filledQuantity")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? FilledQuantity { get; init; }

    [JsonPropertyName("remainingQuantity")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? RemainingQuantity { get; init; }

    [JsonPropertyName("totalSize")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? TotalSize { get; init; }

    [JsonPropertyName("avgPrice")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? AvgPrice { get; init; }

    [JsonPropertyName("price")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? Price { get; init; }

    [JsonPropertyName("orderType")]
    public string? OrderType { get; init; }

    [JsonPropertyName("side")]
    public string? Side { get; init; }

    [JsonPropertyName("timeInForce")]
    public string? TimeInForce { get; init; }

    /// <summary>Our cOID.</summary>
    [JsonPropertyName("order_ref")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? OrderRef { get; init; }

    [JsonPropertyName("lastExecutionTime_r")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? LastExecutionTimeMs { get; init; }

    [JsonPropertyName("ticker")]
    public string? Ticker { get; init; }

    /// <summary>True while the order can still fill or be cancelled.</summary>
    [JsonIgnore]
    public bool IsWorking => Status is not ("Filled" or "Cancelled" or "Inactive");
}

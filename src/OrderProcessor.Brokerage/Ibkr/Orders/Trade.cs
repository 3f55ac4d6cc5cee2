using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>One execution of GET /iserver/account/trades (schema tradesResponse); numbers are read leniently.</summary>
public sealed class Trade
{
    [JsonPropertyName("execution_id")]
    public string? ExecutionId { get; init; }

    /// <summary>Our cOID.</summary>
    [JsonPropertyName("order_ref")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? OrderRef { get; init; }

    [JsonPropertyName("order_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? OrderId { get; init; }

    [JsonPropertyName("side")]
    public string? Side { get; init; }

    [JsonPropertyName("size")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? Size { get; init; }

    [JsonPropertyName("price")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? Price { get; init; }

    [JsonPropertyName("conid")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Conid { get; init; }

    [JsonPropertyName("account")]
    public string? Account { get; init; }

    [JsonPropertyName("trade_time_r")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? TradeTimeMs { get; init; }
}

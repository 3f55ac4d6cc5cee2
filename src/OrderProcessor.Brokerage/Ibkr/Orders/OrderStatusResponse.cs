using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>Answer of GET /iserver/account/order/status/{orderId} (schema orderStatus), the fields the processor uses.</summary>
public sealed class OrderStatusResponse
{
    [JsonPropertyName("order_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? OrderId { get; init; }

    [JsonPropertyName("order_status")]
    public string? OrderStatus { get; init; }

    [JsonPropertyName("conid")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Conid { get; init; }

    [JsonPropertyName("account")]
    public string? Account { get; init; }

    [JsonPropertyName("side")]
    public string? Side { get; init; }

    [JsonPropertyName("order_type")]
    public string? OrderType { get; init; }

    [JsonPropertyName("tif")]
    public string? Tif { get; init; }

    [JsonPropertyName("size")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? Size { get; init; }

    [JsonPropertyName("total_size")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? TotalSize { get; init; }

    [JsonPropertyName("cum_fill")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? CumFill { get; init; }

    [JsonPropertyName("average_price")]
    [JsonConverter(typeof(LenientDecimalConverter))]
    public decimal? AveragePrice { get; init; }

    [JsonPropertyName("cannot_cancel_order")]
    public bool? CannotCancelOrder { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

public sealed class PreviewAmount
{
    [JsonPropertyName("amount")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Amount { get; init; }

    [JsonPropertyName("commission")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Commission { get; init; }

    [JsonPropertyName("total")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Total { get; init; }
}

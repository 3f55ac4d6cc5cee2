using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

public sealed class PreviewChange
{
    [JsonPropertyName("current")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Current { get; init; }

    [JsonPropertyName("change")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? Change { get; init; }

    [JsonPropertyName("after")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? After { get; init; }
}

using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>IBKR's prompt-style answer (schema advancedOrderReject), e.g. p12 "Use the Price Management Algo?".</summary>
public sealed class AdvancedOrderReject
{
    [JsonPropertyName("orderId")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? OrderId { get; init; }

    [JsonPropertyName("reqId")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? ReqId { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    [JsonPropertyName("messageId")]
    public string? MessageId { get; init; }

    [JsonPropertyName("prompt")]
    public bool? Prompt { get; init; }

    [JsonPropertyName("options")]
    public IReadOnlyList<string>? Options { get; init; }
}

using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>A question IBKR asks before it accepts an order (schema orderReplyMessage item).</summary>
public sealed class OrderReplyMessage
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("isSuppressed")]
    public bool? IsSuppressed { get; init; }

    [JsonPropertyName("message")]
    public IReadOnlyList<string>? Message { get; init; }

    [JsonPropertyName("messageIds")]
    public IReadOnlyList<string>? MessageIds { get; init; }
}

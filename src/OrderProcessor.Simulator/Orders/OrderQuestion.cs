using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>IBKR's <c>orderReplyMessage</c> item: a question waiting for /iserver/reply/{id}.</summary>
public sealed record OrderQuestion(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("message")] IReadOnlyList<string> Message,
    [property: JsonPropertyName("isSuppressed")] bool IsSuppressed,
    [property: JsonPropertyName("messageIds")] IReadOnlyList<string> MessageIds);

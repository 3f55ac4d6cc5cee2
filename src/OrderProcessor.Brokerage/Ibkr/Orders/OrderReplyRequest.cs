using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>Body of POST /iserver/reply/{replyId}: true confirms, false drops the order.</summary>
public sealed record OrderReplyRequest([property: JsonPropertyName("confirmed")] bool Confirmed);

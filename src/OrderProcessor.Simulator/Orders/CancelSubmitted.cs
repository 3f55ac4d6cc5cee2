using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>IBKR's <c>orderCancelSuccess</c>: the cancel was requested, not done.</summary>
public sealed record CancelSubmitted(
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("order_id")] string OrderId,
    [property: JsonPropertyName("conid")] string Conid,
    [property: JsonPropertyName("account")] string Account);

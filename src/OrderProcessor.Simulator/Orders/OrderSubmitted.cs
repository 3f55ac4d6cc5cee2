using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>IBKR's <c>orderSubmitSuccess</c> item: <c>order_id</c> is a string here.</summary>
public sealed record OrderSubmitted(
    [property: JsonPropertyName("order_id")] string OrderId,
    [property: JsonPropertyName("order_status")] string OrderStatus,
    [property: JsonPropertyName("encrypt_message")] string EncryptMessage);

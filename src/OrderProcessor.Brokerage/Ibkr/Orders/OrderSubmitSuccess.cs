using System.Text.Json.Serialization;
using OrderProcessor.Brokerage.Ibkr.Json;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>An accepted ticket (schema orderSubmitSuccess item). <c>order_id</c> comes as a string or a number.</summary>
public sealed class OrderSubmitSuccess
{
    [JsonPropertyName("order_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? OrderId { get; init; }

    [JsonPropertyName("order_status")]
    public string? OrderStatus { get; init; }

    [JsonPropertyName("encrypt_message")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? EncryptMessage { get; init; }

    [JsonPropertyName("local_order_id")]
    [JsonConverter(typeof(FlexibleStringConverter))]
    public string? LocalOrderId { get; init; }
}

using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>Body of place and what-if (schema ordersSubmissionRequest): one ticket, or a bracket / OCA group together.</summary>
public sealed record OrdersSubmissionRequest([property: JsonPropertyName("orders")] IReadOnlyList<SingleOrderSubmissionRequest> Orders);

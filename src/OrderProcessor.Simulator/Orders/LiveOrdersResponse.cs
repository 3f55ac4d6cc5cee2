using System.Text.Json.Serialization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>IBKR's <c>liveOrdersResponse</c>.</summary>
public sealed record LiveOrdersResponse(
    [property: JsonPropertyName("orders")] IReadOnlyList<LiveOrder> Orders,
    [property: JsonPropertyName("snapshot")] bool Snapshot);

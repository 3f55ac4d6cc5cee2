using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>Answer of GET /iserver/account/orders (schema liveOrdersResponse).</summary>
public sealed class LiveOrdersResponse
{
    [JsonPropertyName("orders")]
    public IReadOnlyList<LiveOrder>? Orders { get; init; }

    [JsonPropertyName("snapshot")]
    public bool? Snapshot { get; init; }
}

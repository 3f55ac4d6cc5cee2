using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>Answer of GET /iserver/account/orders (schema liveOrdersResponse).</summary>
public sealed class LiveOrdersResponse
{
    [JsonPropertyName("orders")]
    public IReadOnlyList<LiveOrder>? Orders { get; init; }

    [JsonPropertyName("snapshot")]
    public bool? Snapshot { get; init; }

    /// <summary>IBKR's <c>{"error"}</c> (e.g. "no bridge") answered with HTTP 200 instead of the orders.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

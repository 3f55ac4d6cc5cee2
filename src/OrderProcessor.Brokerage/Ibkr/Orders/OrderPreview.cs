using System.Text.Json.Serialization;

namespace OrderProcessor.Brokerage.Ibkr.Orders;

/// <summary>Answer of what-if (schema orderPreview). Numbers are IBKR's formatted strings; see WhatIfResult for parsed values.</summary>
public sealed class OrderPreview
{
    [JsonPropertyName("amount")]
    public PreviewAmount? Amount { get; init; }

    [JsonPropertyName("equity")]
    public PreviewChange? Equity { get; init; }

    [JsonPropertyName("initial")]
    public PreviewChange? Initial { get; init; }

    [JsonPropertyName("maintenance")]
    public PreviewChange? Maintenance { get; init; }

    [JsonPropertyName("position")]
    public PreviewChange? Position { get; init; }

    [JsonPropertyName("warn")]
    public string? Warn { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

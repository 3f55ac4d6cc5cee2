namespace OrderProcessor.Audit;

/// <summary>Where the <c>orders</c> row says the order's chain ends: its last event's sequence and hash.</summary>
public sealed record OrderChainEnd(long LastEventSequence, string? LastEventHash);

namespace OrderProcessor.Contracts;

/// <summary>
/// A one-cancels-all group: the order carrying it and <see cref="Orders"/> are placed together at IBKR, and a fill of
/// one cancels the others. Each order is tracked as its own order.
/// </summary>
public sealed record OcaGroup
{
    /// <summary>A name for the group, unique for the user (shown in events).</summary>
    public string? Name { get; init; }

    /// <summary>The other orders of the group (at least one).</summary>
    public IReadOnlyList<OrderLeg>? Orders { get; init; }
}

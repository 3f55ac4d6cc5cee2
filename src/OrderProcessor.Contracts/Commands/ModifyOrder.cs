namespace OrderProcessor.Contracts;

/// <summary>
/// Change a working order. Fields left empty keep their current values; the processor sends IBKR the whole ticket
/// with the changes. Questions IBKR asks are handled by the same policy as for placing.
/// </summary>
public sealed record ModifyOrder
{
    /// <summary>The order to change.</summary>
    public Guid OrderId { get; init; }

    /// <summary>The user who owns the order; must match the order's user.</summary>
    public string? UserId { get; init; }

    /// <summary>New total quantity.</summary>
    public decimal? Quantity { get; init; }

    /// <summary>New limit price.</summary>
    public decimal? LimitPrice { get; init; }

    /// <summary>New stop price.</summary>
    public decimal? StopPrice { get; init; }

    /// <summary>New trailing amount.</summary>
    public decimal? TrailingAmount { get; init; }

    /// <summary>New time in force.</summary>
    public TimeInForce? TimeInForce { get; init; }
}

namespace OrderProcessor.Contracts;

/// <summary>The order is cancelled (final). Anything filled before the cancel is in FilledQuantity.</summary>
public sealed record OrderCancelled : IOrderEvent
{
    /// <inheritdoc />
    public Guid OrderId { get; init; }

    /// <inheritdoc />
    public long Sequence { get; init; }

    /// <inheritdoc />
    public DateTimeOffset OccurredAt { get; init; }

    /// <inheritdoc />
    public Guid CorrelationId { get; init; }

    /// <inheritdoc />
    public Guid CausationId { get; init; }

    /// <summary>Quantity filled before the cancel took effect.</summary>
    public decimal FilledQuantity { get; init; }

    /// <summary>Why: the cancel request's reason, or IBKR's when the destination cancelled or rejected it.</summary>
    public string? Reason { get; init; }
}

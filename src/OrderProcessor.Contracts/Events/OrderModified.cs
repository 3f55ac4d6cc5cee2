namespace OrderProcessor.Contracts;

/// <summary>IBKR accepted a ModifyOrder: the order now works with these values.</summary>
public sealed record OrderModified : IOrderEvent
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

    /// <summary>Total quantity.</summary>
    public decimal Quantity { get; init; }

    /// <summary>Limit price, if any.</summary>
    public decimal? LimitPrice { get; init; }

    /// <summary>Stop price, if any.</summary>
    public decimal? StopPrice { get; init; }

    /// <summary>Trailing amount, if any.</summary>
    public decimal? TrailingAmount { get; init; }

    /// <summary>Time in force.</summary>
    public TimeInForce TimeInForce { get; init; }
}

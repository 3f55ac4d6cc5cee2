namespace OrderProcessor.Contracts;

/// <summary>The processor gave up on the order after bounded retries (final). The reason is kept; IBKR provably does not have the order.</summary>
public sealed record OrderFailed : IOrderEvent
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

    /// <summary>What went wrong, for people.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>The failure's classification (e.g. <c>TransientBeforeSend</c>, <c>Configuration</c>).</summary>
    public string? FailureKind { get; init; }
}

namespace OrderProcessor.Contracts;

/// <summary>The order moved between two states that have no event of their own (e.g. Submitted to Working, to PendingCancel).</summary>
public sealed record OrderStatusChanged : IOrderEvent
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

    /// <summary>The state before.</summary>
    public OrderStatus PreviousStatus { get; init; }

    /// <summary>The state now.</summary>
    public OrderStatus Status { get; init; }

    /// <summary>IBKR's status text, when the change was observed at IBKR.</summary>
    public string? BrokerStatus { get; init; }

    /// <summary>Why, when known (e.g. the reason of a cancel request).</summary>
    public string? Reason { get; init; }
}

namespace OrderProcessor.Contracts;

/// <summary>
/// The order is held: nothing of it is at IBKR and IBKR is unavailable (a maintenance window or an outage). It is sent
/// when IBKR is back, in arrival order per user, or rejected (HoldExpired) at RejectAfter. Published once per hold; the
/// next events are the usual ones (OrderSubmitted, OrderRejected, OrderCancelled).
/// </summary>
public sealed record OrderHeld : IOrderEvent
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

    /// <summary>The state the order was in before it was held.</summary>
    public OrderStatus PreviousStatus { get; init; }

    /// <summary>Why IBKR is considered unavailable.</summary>
    public HoldCause Cause { get; init; }

    /// <summary>IBKR's region (maintenance schedule) of the order's user.</summary>
    public string Region { get; init; } = string.Empty;

    /// <summary>For people: what was seen (the window, or IBKR's answer).</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>When IBKR is expected back, when known (the end of a scheduled window).</summary>
    public DateTimeOffset? ExpectedUntil { get; init; }

    /// <summary>When the order is rejected (HoldExpired) if IBKR is still unavailable.</summary>
    public DateTimeOffset RejectAfter { get; init; }
}

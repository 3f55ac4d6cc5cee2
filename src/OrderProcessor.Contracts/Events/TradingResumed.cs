namespace OrderProcessor.Contracts;

/// <summary>
/// The halt of the scope ended: orders of the scope are accepted and sent again. Outside every order's chain: OrderId is
/// the ended halt's id and Sequence is 0.
/// </summary>
public sealed record TradingResumed : IOrderEvent
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

    /// <summary>The scope whose halt ended.</summary>
    public HaltScope Scope { get; init; }

    /// <summary>The account, for scope Account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The user, for scope User.</summary>
    public string? UserId { get; init; }

    /// <summary>Why trading resumed.</summary>
    public string? Reason { get; init; }

    /// <summary>Who resumed it.</summary>
    public string? ResumedBy { get; init; }

    /// <summary>When the ended halt began.</summary>
    public DateTimeOffset HaltedAt { get; init; }
}

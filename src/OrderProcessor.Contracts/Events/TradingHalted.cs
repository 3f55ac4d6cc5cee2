namespace OrderProcessor.Contracts;

/// <summary>
/// Trading is halted for the scope (kill switch). Outside every order's chain: OrderId is the halt's id and Sequence is 0.
/// </summary>
public sealed record TradingHalted : IOrderEvent
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

    /// <summary>What the halt covers.</summary>
    public HaltScope Scope { get; init; }

    /// <summary>The account halted, for scope Account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The user halted, for scope User.</summary>
    public string? UserId { get; init; }

    /// <summary>Why the scope is halted.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>Whether the scope's working orders are being cancelled.</summary>
    public bool CancelWorking { get; init; }

    /// <summary>Who halted it.</summary>
    public string? HaltedBy { get; init; }
}

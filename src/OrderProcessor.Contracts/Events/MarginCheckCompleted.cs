namespace OrderProcessor.Contracts;

/// <summary>IBKR's what-if answered for a MarginCheck or for a PlaceOrder with a margin policy. Figures are in the account currency.</summary>
public sealed record MarginCheckCompleted : IOrderEvent
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

    /// <summary>The user whose session ran the check.</summary>
    public string UserId { get; init; } = string.Empty;

    /// <summary>The IBKR account.</summary>
    public string AccountId { get; init; } = string.Empty;

    /// <summary>Currency of the figures.</summary>
    public string? Currency { get; init; }

    /// <summary>Initial margin before, change, after.</summary>
    public MarginFigure Initial { get; init; } = new(null, null, null);

    /// <summary>Maintenance margin before, change, after.</summary>
    public MarginFigure Maintenance { get; init; } = new(null, null, null);

    /// <summary>Equity with loan value before, change, after.</summary>
    public MarginFigure Equity { get; init; } = new(null, null, null);

    /// <summary>Estimated commission.</summary>
    public decimal? Commission { get; init; }

    /// <summary>Order value (amount) as IBKR computed it.</summary>
    public decimal? Amount { get; init; }

    /// <summary>IBKR's warning text, if any.</summary>
    public string? Warning { get; init; }

    /// <summary>IBKR's error text, if any.</summary>
    public string? Error { get; init; }

    /// <summary>For a PlaceOrder with a margin policy: whether the policy approved the order; null for a standalone check.</summary>
    public bool? Approved { get; init; }

    /// <summary>Why the policy refused the order, when it did.</summary>
    public string? PolicyReason { get; init; }
}

namespace OrderProcessor.Orders;

/// <summary>
/// A standalone MarginCheck waiting for its what-if (table <c>margin_checks</c>). Kept as work in the database, like
/// an order's, so that it runs on the instance that holds the user's IBKR session, survives crashes, and is always
/// answered (MarginCheckCompleted or OrderRejected), even when IBKR cannot be reached.
/// </summary>
public sealed class MarginCheckRequest
{
    public Guid CheckId { get; set; }

    public string UserId { get; set; } = string.Empty;

    public string AccountId { get; set; } = string.Empty;

    /// <summary>The MarginCheck command, as JSON.</summary>
    public string Command { get; set; } = string.Empty;

    public Guid CorrelationId { get; set; }

    /// <summary>The message id of the MarginCheck: the answer's causation.</summary>
    public Guid MessageId { get; set; }

    /// <summary>Where the answer also goes when the check came as a MassTransit request.</summary>
    public string? ResponseAddress { get; set; }

    public Guid? RequestId { get; set; }

    public string? TraceParent { get; set; }

    /// <summary>When the what-if may run; while a worker runs it, the end of its lease.</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>The claim of the worker running it; its answer is written only while the request still carries it.</summary>
    public Guid? ClaimToken { get; set; }

    public int Attempts { get; set; }

    public string? LastReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When it was answered; null while it waits.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }

    public uint Version { get; set; }
}

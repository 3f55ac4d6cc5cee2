namespace OrderProcessor.Contracts;

/// <summary>
/// A command about the order was refused. A refused <c>PlaceOrder</c> (<see cref="Command"/>) ends its order in state
/// Rejected, except for ConflictingDuplicate and UpstreamNotAuthorized, which leave an order of that id unaffected; a
/// refused <c>CancelOrder</c> or <c>ModifyOrder</c> (InvalidState, NotFound, ConflictingDuplicate, UpstreamNotAuthorized,
/// ValidationFailed) never changes the order. Refusals outside the order's own chain of events carry Sequence 0: among
/// them a command whose JSON did not bind (a value of the wrong JSON type, rule <c>type</c>) or was too large, of which
/// nothing is stored.
/// </summary>
public sealed record OrderRejected : IOrderEvent
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

    /// <summary>Machine-readable reason.</summary>
    public RejectionReasonCode ReasonCode { get; init; }

    /// <summary>For people: what was wrong (for IBKR rejections and questions, IBKR's own text).</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>The offending fields, for validation failures.</summary>
    public IReadOnlyList<FieldViolation> Violations { get; init; } = [];

    /// <summary>The message type of the refused command (e.g. <c>PlaceOrder</c>).</summary>
    public string Command { get; init; } = string.Empty;

    /// <summary>The user named by the command, if readable.</summary>
    public string? UserId { get; init; }

    /// <summary>The account named by the command, if readable.</summary>
    public string? AccountId { get; init; }

    /// <summary>The ids of the IBKR questions that were not on the allow-list, for UnansweredQuestion.</summary>
    public IReadOnlyList<string> QuestionIds { get; init; } = [];
}

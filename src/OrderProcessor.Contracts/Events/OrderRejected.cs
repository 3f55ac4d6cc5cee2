namespace OrderProcessor.Contracts;

/// <summary>
/// A command about the order was refused. An OrderRejected with Sequence 0 is outside every order's chain of events and
/// never changes an order: among them a command refused before it was decided (ConflictingDuplicate of a message id,
/// UpstreamNotAuthorized, a command too large, or whose JSON did not bind: rule <c>type</c>; for a PlaceOrder whose id
/// is an existing order's, ConflictingDuplicate), of which nothing is stored. With a Sequence of 1 or more it is in the
/// order's chain: a refused <c>PlaceOrder</c> (<see cref="Command"/>) then ends its order in state Rejected, except
/// ConflictingDuplicate (another PlaceOrder under an existing order's id), which leaves the order unaffected; a refused
/// <c>CancelOrder</c> or <c>ModifyOrder</c> (InvalidState, NotFound, ConflictingDuplicate, ValidationFailed) never
/// changes the order.
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

namespace OrderProcessor.Contracts;

/// <summary>
/// End the active halt of a scope (everyone, an account or a user): orders of the scope are accepted and sent again.
/// Idempotent by <see cref="ResumeId"/>. Answered by <see cref="TradingResumed"/>, or by <see cref="OrderRejected"/> when
/// the upstream may not resume trading.
/// </summary>
public sealed record ResumeTrading
{
    /// <summary>The resume request's id, chosen by the sender.</summary>
    public Guid ResumeId { get; init; }

    /// <summary>The scope whose halt ends.</summary>
    public HaltScope Scope { get; init; }

    /// <summary>The account, for scope Account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The user, for scope User.</summary>
    public string? UserId { get; init; }

    /// <summary>Why, for people and the audit trail.</summary>
    public string? Reason { get; init; }

    /// <summary>Who asked for the resume, for the audit trail.</summary>
    public string? RequestedBy { get; init; }
}

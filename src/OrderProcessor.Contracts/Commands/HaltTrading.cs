namespace OrderProcessor.Contracts;

/// <summary>
/// Halt trading (kill switch) for everyone, an account or a user: new orders of the scope are rejected (TradingHalted)
/// and orders accepted but not yet sent are not sent. Idempotent by <see cref="HaltId"/>; halting a scope already halted
/// answers with the existing halt. Answered by <see cref="TradingHalted"/>, or by <see cref="OrderRejected"/> when the
/// upstream may not halt trading.
/// </summary>
public sealed record HaltTrading
{
    /// <summary>The halt's id, chosen by the sender.</summary>
    public Guid HaltId { get; init; }

    /// <summary>What the halt covers.</summary>
    public HaltScope Scope { get; init; }

    /// <summary>The account halted, for scope Account.</summary>
    public string? AccountId { get; init; }

    /// <summary>The user halted, for scope User.</summary>
    public string? UserId { get; init; }

    /// <summary>Why, for people and the audit trail.</summary>
    public string Reason { get; init; } = "";

    /// <summary>Whether the scope's working orders are cancelled too.</summary>
    public bool CancelWorking { get; init; }

    /// <summary>Who asked for the halt, for the audit trail.</summary>
    public string? RequestedBy { get; init; }
}

namespace OrderProcessor.Persistence;

/// <summary>
/// One row of <c>trading_halts</c> (kill switch): a halt of everyone, an account or a user; active while
/// <see cref="ResumedAt"/> is null (at most one active halt per scope).
/// </summary>
public sealed class TradingHaltRow
{
    public Guid HaltId { get; set; }

    /// <summary><c>all</c>, <c>account</c> or <c>user</c>.</summary>
    public string Scope { get; set; } = string.Empty;

    /// <summary>The account id or the user id; <c>*</c> for all.</summary>
    public string ScopeKey { get; set; } = string.Empty;

    public string Reason { get; set; } = string.Empty;
    public bool CancelWorking { get; set; }
    public string? HaltedBy { get; set; }
    public DateTimeOffset HaltedAt { get; set; }

    /// <summary>When the scope's working orders were all asked to cancel (for <see cref="CancelWorking"/>).</summary>
    public DateTimeOffset? CancelSweptAt { get; set; }

    public DateTimeOffset? ResumedAt { get; set; }
    public string? ResumedBy { get; set; }
    public string? ResumeReason { get; set; }
}

namespace OrderProcessor.Persistence;

/// <summary>
/// One token bucket of <c>risk_rate_buckets</c>: the orders an account or a user may still send in a period (second or
/// minute), shared by every instance.
/// </summary>
public sealed class RiskRateBucket
{
    /// <summary><c>account</c> or <c>user</c>.</summary>
    public string Scope { get; set; } = string.Empty;

    public string ScopeKey { get; set; } = string.Empty;

    /// <summary><c>second</c> or <c>minute</c>.</summary>
    public string Period { get; set; } = string.Empty;

    public double Tokens { get; set; }
    public DateTimeOffset RefilledAt { get; set; }
}

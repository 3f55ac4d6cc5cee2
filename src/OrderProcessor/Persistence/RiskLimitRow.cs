namespace OrderProcessor.Persistence;

/// <summary>
/// One row of <c>risk_limits</c>: the risk limits of one account or one user, each null = the configured default
/// (<c>Risk:*</c>). A user row carries only the user rates.
/// </summary>
public sealed class RiskLimitRow
{
    /// <summary><c>account</c> or <c>user</c>.</summary>
    public string Scope { get; set; } = string.Empty;

    /// <summary>The account id or the user id.</summary>
    public string ScopeKey { get; set; } = string.Empty;

    public decimal? MaxQuantity { get; set; }
    public decimal? MaxNotional { get; set; }
    public int? MaxOrdersPerSecond { get; set; }
    public int? MaxOrdersPerMinute { get; set; }
    public int? MaxWorkingOrdersPerContractSide { get; set; }
    public TimeSpan? DuplicateWindow { get; set; }
    public decimal? PriceBandPercent { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

namespace OrderProcessor.Risk;

/// <summary>
/// The limits an operator sets on one account or user (<c>orders limits set</c>): each non-null value replaces the row's;
/// the others stay as they were.
/// </summary>
public sealed record RiskLimitChange(
    decimal? MaxQuantity = null,
    decimal? MaxNotional = null,
    int? MaxOrdersPerSecond = null,
    int? MaxOrdersPerMinute = null,
    int? MaxWorkingOrdersPerContractSide = null,
    TimeSpan? DuplicateWindow = null,
    decimal? PriceBandPercent = null)
{
    public bool IsEmpty => this == new RiskLimitChange();

    /// <summary>A user row carries only the user rates: any other limit is the account's.</summary>
    public bool OnlyRates => MaxQuantity is null && MaxNotional is null && MaxWorkingOrdersPerContractSide is null && DuplicateWindow is null
        && PriceBandPercent is null;
}

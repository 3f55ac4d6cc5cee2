using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// The limits that apply to one order: each the account's (or, for the user rates, the user's) row of <c>risk_limits</c>
/// when it sets one, else the configured default (<c>Risk:*</c>). Null is off.
/// </summary>
public sealed record RiskLimits(
    decimal? MaxQuantity,
    decimal? MaxNotional,
    int? MaxOrdersPerSecondPerAccount,
    int? MaxOrdersPerMinutePerAccount,
    int? MaxOrdersPerSecondPerUser,
    int? MaxOrdersPerMinutePerUser,
    int? MaxWorkingOrdersPerContractSide,
    TimeSpan DuplicateWindow,
    decimal? PriceBandPercent = null)
{
    public const string AccountScope = "account";
    public const string UserScope = "user";

    public static RiskLimits Resolve(RiskOptions options, RiskLimitRow? account, RiskLimitRow? user)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RiskLimits(
            account?.MaxQuantity ?? options.MaxQuantity,
            account?.MaxNotional ?? options.MaxNotional,
            account?.MaxOrdersPerSecond ?? options.MaxOrdersPerSecondPerAccount,
            account?.MaxOrdersPerMinute ?? options.MaxOrdersPerMinutePerAccount,
            user?.MaxOrdersPerSecond ?? options.MaxOrdersPerSecondPerUser,
            user?.MaxOrdersPerMinute ?? options.MaxOrdersPerMinutePerUser,
            account?.MaxWorkingOrdersPerContractSide ?? options.MaxWorkingOrdersPerContractSide,
            account?.DuplicateWindow ?? options.DuplicateWindow,
            account?.PriceBandPercent ?? options.PriceBandPercent);
    }
}

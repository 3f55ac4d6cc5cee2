using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// Reads the rows of <c>risk_limits</c> of an account and a user inside the caller's transaction (one indexed read of
/// at most two rows): a limit changed by the CLI applies to the next order on every instance, no cache to wait for.
/// </summary>
public static class RiskLimitStore
{
    public static async Task<(RiskLimitRow? Account, RiskLimitRow? User)> ReadAsync(OrderProcessorDbContext db, string accountId, string userId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.RiskLimits.AsNoTracking()
            .Where(r => (r.Scope == RiskLimits.AccountScope && r.ScopeKey == accountId) || (r.Scope == RiskLimits.UserScope && r.ScopeKey == userId))
            .ToListAsync(cancellationToken);
        return (rows.FirstOrDefault(r => r.Scope == RiskLimits.AccountScope), rows.FirstOrDefault(r => r.Scope == RiskLimits.UserScope));
    }
}

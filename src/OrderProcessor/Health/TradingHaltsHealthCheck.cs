using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderProcessor.Persistence;

namespace OrderProcessor.Health;

/// <summary>
/// Lists the active trading halts (kill switch): scope, since when, by whom, why, and whether their working orders were
/// swept. Healthy either way: a halt is an operator's decision and the instance serves everything else; the entry is
/// there so that whoever reads /health sees at once why orders of a scope are refused.
/// </summary>
public sealed class TradingHaltsHealthCheck(IDbContextFactory<OrderProcessorDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var halts = await db.TradingHalts.AsNoTracking().Where(h => h.ResumedAt == null).OrderBy(h => h.HaltedAt).ToListAsync(cancellationToken);
        if (halts.Count == 0)
        {
            return HealthCheckResult.Healthy("no trading halt");
        }

        var data = new Dictionary<string, object>
        {
            ["halts"] = halts.Select(h => new
            {
                haltId = h.HaltId,
                scope = h.Scope,
                scopeKey = h.ScopeKey,
                since = h.HaltedAt,
                haltedBy = h.HaltedBy,
                reason = h.Reason,
                cancelWorking = h.CancelWorking,
                workingCancelledAt = h.CancelSweptAt,
            }).ToList(),
        };
        var named = string.Join("; ", halts.Select(h => string.Create(CultureInfo.InvariantCulture,
            $"{h.Scope} {h.ScopeKey} since {h.HaltedAt:u} by {h.HaltedBy ?? "an operator"}: {h.Reason}")));
        return HealthCheckResult.Healthy($"{halts.Count} trading halt(s) active, new orders of their scope are refused (TradingHalted): {named}. " +
            "`orders halts` lists them, `orders resume` ends one.", data);
    }
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>
/// The active trading halts, read from <c>trading_halts</c> inside the caller's transaction: no cache, so a halt
/// committed before the caller's transaction began is seen by it, on every instance (one indexed read of a tiny table).
/// </summary>
public sealed class TradingHaltStore : ITradingHalts
{
    /// <summary>The advisory lock a halt or resume holds exclusive, and every reader shared, until commit.</summary>
    public const string LockKey = "trading-halts";

    /// <summary>
    /// The active halt that covers the user or the account. Holds <see cref="LockKey"/> shared until the caller's commit:
    /// a halt cannot commit between this read and that commit, so nothing decided without a halt commits after one.
    /// </summary>
    public async Task<HaltView?> ActiveForAsync(OrderProcessorDbContext db, string? userId, string? accountId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock_shared(hashtextextended({LockKey}, 0))", ct);
        var account = accountId ?? string.Empty;
        var user = userId ?? string.Empty;
        var rows = await db.TradingHalts.AsNoTracking()
            .Where(h => h.ResumedAt == null
                && (h.Scope == HaltScopes.All
                    || (h.Scope == HaltScopes.Account && h.ScopeKey == account)
                    || (h.Scope == HaltScopes.User && h.ScopeKey == user)))
            .ToListAsync(ct);

        // The oldest halt that covers it answers (all halts refuse alike; the oldest is the one people started with).
        return rows.OrderBy(h => h.HaltedAt).ThenBy(h => h.HaltId).Select(ViewOf).FirstOrDefault();
    }

    public static HaltView ViewOf(TradingHaltRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new HaltView(row.HaltId, HaltScopes.Parse(row.Scope), row.ScopeKey, row.Reason, row.HaltedAt, row.HaltedBy);
    }
}

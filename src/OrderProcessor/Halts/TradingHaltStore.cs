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
    public async Task<HaltView?> ActiveForAsync(OrderProcessorDbContext db, string? userId, string? accountId, CancellationToken ct) =>
        ITradingHalts.Covering(await ActiveAsync(db, ct), userId, accountId);

    /// <summary>Every active halt, under the same shared lock until the caller's commit (one lock and one read per claim).</summary>
    public async Task<IReadOnlyList<HaltView>> ActiveAsync(OrderProcessorDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock_shared(hashtextextended({LockKey}, 0))", ct);
        var rows = await db.TradingHalts.AsNoTracking().Where(h => h.ResumedAt == null).ToListAsync(ct);
        return [.. rows.Select(ViewOf)];
    }

    public static HaltView ViewOf(TradingHaltRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new HaltView(row.HaltId, HaltScopes.Parse(row.Scope), row.ScopeKey, row.Reason, row.HaltedAt, row.HaltedBy);
    }
}

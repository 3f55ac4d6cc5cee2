using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
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
    /// <remarks>
    /// The lock and the read go to PostgreSQL as one batch, one round trip (a PlaceOrder sends them, as <see cref="ActiveRead"/>,
    /// with its locks and inbox check), and are still two statements: under READ COMMITTED each takes its own snapshot when it starts, so the read, which starts once the
    /// lock is granted, sees every halt committed before that. One statement doing both would read with the snapshot it
    /// took before waiting for the lock, and miss a halt that committed meanwhile.
    /// </remarks>
    public async Task<IReadOnlyList<HaltView>> ActiveAsync(OrderProcessorDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        _ = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("The halts are read inside the caller's transaction: their shared lock lasts until its commit.");
        var read = ActiveRead();
        await BatchRead.RunAsync(db, [read], ct);
        return read.Value;
    }

    public BatchRead<IReadOnlyList<HaltView>> ActiveRead() => new(
        [
            new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))") { Parameters = { new() { Value = LockKey } } },
            new NpgsqlBatchCommand("SELECT halt_id, scope, scope_key, reason, halted_at, halted_by FROM trading_halts WHERE resumed_at IS NULL"),
        ],
        async (reader, ct) =>
        {
            await reader.NextResultAsync(ct);
            var halts = new List<HaltView>();
            while (await reader.ReadAsync(ct))
            {
                halts.Add(new HaltView(reader.GetGuid(0), HaltScopes.Parse(reader.GetString(1)), reader.GetString(2), reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4), await reader.IsDBNullAsync(5, ct) ? null : reader.GetString(5)));
            }

            return (IReadOnlyList<HaltView>)halts;
        });

    public static HaltView ViewOf(TradingHaltRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new HaltView(row.HaltId, HaltScopes.Parse(row.Scope), row.ScopeKey, row.Reason, row.HaltedAt, row.HaltedBy);
    }
}

using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// The order-rate token buckets, kept in <c>risk_rate_buckets</c> so that every instance spends from the same ones
/// (the consumer that decides a PlaceOrder is any instance's). One statement spends from all the buckets at once, in
/// the caller's transaction: each bucket refills at its capacity per period since its last spend (never above the
/// capacity) and gives <c>n</c> tokens if it has them. If any bucket has too few, the statement's savepoint is rolled
/// back: a refused order spends nothing from any bucket. The row locks serialise concurrent spenders across instances.
/// </summary>
public static class RateBuckets
{
    // A bucket that does not exist yet starts full (capacity − n). On conflict, EXCLUDED.tokens + n is the capacity.
    private const string Spend = """
        INSERT INTO risk_rate_buckets AS b (scope, scope_key, period, tokens, refilled_at)
        SELECT w.scope, w.scope_key, w.period, w.capacity - @n, @now
        FROM unnest(@scopes, @keys, @periods, @capacities) AS w(scope, scope_key, period, capacity)
        WHERE w.capacity >= @n
        ON CONFLICT (scope, scope_key, period) DO UPDATE
            SET tokens = LEAST(EXCLUDED.tokens + @n,
                    b.tokens + (EXCLUDED.tokens + @n) / CASE WHEN b.period = 'second' THEN 1.0 ELSE 60.0 END
                        * GREATEST(0, EXTRACT(EPOCH FROM (@now - b.refilled_at))::double precision)) - @n,
                refilled_at = GREATEST(b.refilled_at, @now)
            WHERE LEAST(EXCLUDED.tokens + @n,
                    b.tokens + (EXCLUDED.tokens + @n) / CASE WHEN b.period = 'second' THEN 1.0 ELSE 60.0 END
                        * GREATEST(0, EXTRACT(EPOCH FROM (@now - b.refilled_at))::double precision)) >= @n
        RETURNING b.scope, b.scope_key, b.period
        """;

    /// <summary>
    /// Spends <paramref name="orders"/> tokens from every bucket, or from none: returns the first bucket that had too few
    /// (nothing spent), or null when all paid. Needs the caller's transaction (<c>Database.CurrentTransaction</c>).
    /// </summary>
    public static async Task<RateBucket?> TrySpendAsync(OrderProcessorDbContext db, IReadOnlyList<RateBucket> buckets, int orders, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count == 0)
        {
            return null;
        }

        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("The rate buckets are spent inside the consumer's transaction.");
        await transaction.CreateSavepointAsync("risk_rates", cancellationToken);
        var paid = new HashSet<(string, string, string)>();
        await using (var command = db.Database.GetDbConnection().CreateCommand())
        {
            command.Transaction = transaction.GetDbTransaction();
            command.CommandText = Spend;
            Add(command, "n", NpgsqlDbType.Double, (double)orders);
            Add(command, "now", NpgsqlDbType.TimestampTz, now.ToUniversalTime());
            Add(command, "scopes", NpgsqlDbType.Array | NpgsqlDbType.Text, buckets.Select(b => b.Scope).ToArray());
            Add(command, "keys", NpgsqlDbType.Array | NpgsqlDbType.Text, buckets.Select(b => b.ScopeKey).ToArray());
            Add(command, "periods", NpgsqlDbType.Array | NpgsqlDbType.Text, buckets.Select(b => b.PeriodName).ToArray());
            Add(command, "capacities", NpgsqlDbType.Array | NpgsqlDbType.Double, buckets.Select(b => (double)b.Capacity).ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                paid.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        var refused = buckets.FirstOrDefault(b => !paid.Contains((b.Scope, b.ScopeKey, b.PeriodName)));
        if (refused is null)
        {
            await transaction.ReleaseSavepointAsync("risk_rates", cancellationToken);
        }
        else
        {
            await transaction.RollbackToSavepointAsync("risk_rates", cancellationToken);
        }

        return refused;
    }

    private static void Add(DbCommand command, string name, NpgsqlDbType type, object value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
}

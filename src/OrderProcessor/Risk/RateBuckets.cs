using Npgsql;
using NpgsqlTypes;
using OrderProcessor.Persistence;

namespace OrderProcessor.Risk;

/// <summary>
/// The order-rate token buckets, kept in <c>risk_rate_buckets</c> so that every instance spends from the same ones
/// (the consumer that decides a PlaceOrder is any instance's). One statement spends from all the buckets at once, in
/// the caller's transaction: each bucket refills at its capacity per period since its last spend (never above the
/// capacity) and gives <c>n</c> tokens if it has them; a refused order spends nothing from any bucket. The row locks
/// serialise concurrent spenders across instances.
/// </summary>
/// <remarks>
/// All or none in one round trip: the statement first reads what every bucket has, and spends only when none is short.
/// The read is the statement's snapshot; the spend re-checks each row as it is when locked. The consumer holds the
/// account's and the user's advisory locks (the buckets' two scopes), so nobody spends in between and the two agree.
/// Without those locks a concurrent spender could empty a bucket in between: then only some buckets pay, and the
/// tokens of those are given back in a second statement. A bucket refilled to now and spent is, once given back, what it
/// would have been without the spend. This replaced a savepoint around the statement: two more round trips per order.
/// </remarks>
public static class RateBuckets
{
    // The spend itself is the database's rate_spend (the RateSpendProcedure migration): the buckets paid, or the position
    // of the first short one (nothing spent).
    private const string Spend =
        "SELECT paid_scope, paid_key, paid_period, short_position FROM rate_spend(@rate_scopes, @rate_keys, @rate_periods, @rate_capacities, @rate_tokens, @rate_now)";

    // Only when a concurrent spender emptied a bucket between the statement's read and its spend (see remarks).
    private const string GiveBack = """
        UPDATE risk_rate_buckets AS b SET tokens = b.tokens + @n
        FROM unnest(@scopes, @keys, @periods) AS w(scope, scope_key, period)
        WHERE b.scope = w.scope AND b.scope_key = w.scope_key AND b.period = w.period
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

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The rate buckets are spent inside the consumer's transaction.");
        }

        var paid = new List<RateBucket>(buckets.Count);
        RateBucket? refused = null;
        await using (var command = await ContextCommand.CreateAsync(db, Spend, cancellationToken))
        {
            command.Parameters.AddRange(RateSpendCall.Of(buckets, orders, now).Parameters().ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.IsDBNull(0))
                {
                    refused = buckets[(int)reader.GetInt64(3) - 1];
                }
                else
                {
                    var key = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                    paid.Add(buckets.First(b => (b.Scope, b.ScopeKey, b.PeriodName) == key));
                }
            }
        }

        // A bucket emptied by a concurrent spender after the statement's read: the first one not paid is the short one.
        refused ??= buckets.FirstOrDefault(b => !paid.Contains(b));
        if (refused is not null && paid.Count > 0)
        {
            await using var giveBack = await ContextCommand.CreateAsync(db, GiveBack, cancellationToken);
            Add(giveBack, "n", NpgsqlDbType.Double, (double)orders);
            AddKeys(giveBack, paid);
            await giveBack.ExecuteNonQueryAsync(cancellationToken);
        }

        return refused;
    }

    /// <summary>
    /// Arms the spend for the caller's save instead (<see cref="RateSpendInterceptor"/>): the order is decided as if every
    /// bucket paid, and the tokens are spent in the same round trip as its insert. When a bucket is short the save raises
    /// and nothing of it commits; the command is decided again from the start with the tokens spent first
    /// (<see cref="TrySpendAsync"/>, <c>Consumers/DatabaseRetry</c>). Nothing is armed without buckets.
    /// </summary>
    public static void SpendWithTheSave(OrderProcessorDbContext db, IReadOnlyList<RateBucket> buckets, int orders, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(buckets);
        if (buckets.Count > 0)
        {
            db.ArmRateSpend(RateSpendCall.Of(buckets, orders, now));
        }
    }

    /// <summary>
    /// A spend armed for a save that sent no command (it had nothing else to write): spent now, as a command of its own in
    /// the same transaction, raising the same way.
    /// </summary>
    public static async Task SpendArmedAsync(OrderProcessorDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.TakeRateSpend() is not { } spend)
        {
            return;
        }

        await using var command = await ContextCommand.CreateAsync(db, RateSpendCall.Sql, cancellationToken);
        command.Parameters.AddRange(spend.Parameters().ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKeys(NpgsqlCommand command, IReadOnlyList<RateBucket> buckets)
    {
        Add(command, "scopes", NpgsqlDbType.Array | NpgsqlDbType.Text, buckets.Select(b => b.Scope).ToArray());
        Add(command, "keys", NpgsqlDbType.Array | NpgsqlDbType.Text, buckets.Select(b => b.ScopeKey).ToArray());
        Add(command, "periods", NpgsqlDbType.Array | NpgsqlDbType.Text, buckets.Select(b => b.PeriodName).ToArray());
    }

    private static void Add(NpgsqlCommand command, string name, NpgsqlDbType type, object value) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value });
}

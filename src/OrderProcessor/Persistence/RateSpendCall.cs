using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace OrderProcessor.Persistence;

/// <summary>
/// Order-rate tokens to spend at the end of a save's first command (<see cref="RateSpendInterceptor"/>): <see cref="Tokens"/>
/// from every bucket, all or none, by <c>spend_rate_tokens</c> (see the RateSpendProcedure migration). When a bucket is
/// short it raises <see cref="ShortSqlState"/>, which aborts the transaction: the command the save would have accepted is
/// decided again from the start with the tokens spent first (<see cref="Risk.RateBuckets.TrySpendAsync"/>), which
/// refuses it unless the bucket refilled meanwhile. Its parameters are also those of <c>rate_spend</c> there.
/// </summary>
public sealed record RateSpendCall(string[] Scopes, string[] Keys, string[] Periods, double[] Capacities, double Tokens, DateTimeOffset Now)
{
    /// <summary><paramref name="tokens"/> from each of <paramref name="buckets"/>, at <paramref name="now"/>.</summary>
    public static RateSpendCall Of(IReadOnlyList<Risk.RateBucket> buckets, int tokens, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        return new RateSpendCall([.. buckets.Select(b => b.Scope)], [.. buckets.Select(b => b.ScopeKey)], [.. buckets.Select(b => b.PeriodName)],
            [.. buckets.Select(b => (double)b.Capacity)], tokens, now);
    }

    /// <summary>The SQLSTATE <c>spend_rate_tokens</c> raises when a bucket has too few tokens.</summary>
    public const string ShortSqlState = "OPR01";

    internal const string Sql = "CALL spend_rate_tokens(@rate_scopes, @rate_keys, @rate_periods, @rate_capacities, @rate_tokens, @rate_now);\n";

    /// <summary>Whether a save failed because a bucket was short (and so nothing of it committed).</summary>
    public static bool IsShort(Exception exception) => exception switch
    {
        PostgresException { SqlState: ShortSqlState } => true,
        DbUpdateException { InnerException: { } inner } => IsShort(inner),
        _ => false,
    };

    internal IEnumerable<NpgsqlParameter> Parameters() =>
    [
        new NpgsqlParameter<string[]>("rate_scopes", Scopes),
        new NpgsqlParameter<string[]>("rate_keys", Keys),
        new NpgsqlParameter<string[]>("rate_periods", Periods),
        new NpgsqlParameter<double[]>("rate_capacities", Capacities),
        new NpgsqlParameter<double>("rate_tokens", Tokens),
        new NpgsqlParameter<DateTimeOffset>("rate_now", Now.ToUniversalTime()),
    ];
}

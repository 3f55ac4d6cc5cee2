using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Upstreams;

/// <summary>Reads and edits the upstream mapping (<c>upstream_grants</c>): what <c>orders upstreams</c> does.</summary>
public static class UpstreamGrantStore
{
    public static Task<List<UpstreamGrant>> ListAsync(OrderProcessorDbContext db, string? upstream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.UpstreamGrants.AsNoTracking()
            .Where(g => upstream == null || g.Upstream == upstream)
            .OrderBy(g => g.Upstream).ThenBy(g => g.UserPattern).ThenBy(g => g.AccountPattern)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Adds a grant; false when it was there already. Throws <see cref="FormatException"/> naming a malformed pattern.</summary>
    public static async Task<bool> GrantAsync(OrderProcessorDbContext db, string upstream, string userPattern, string accountPattern,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        Check("upstream", upstream, allowWildcard: false);
        Check("user", userPattern, allowWildcard: true);
        Check("account", accountPattern, allowWildcard: true);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO upstream_grants (upstream, user_pattern, account_pattern, granted_at) VALUES ({upstream}, {userPattern}, {accountPattern}, {now}) ON CONFLICT DO NOTHING",
            cancellationToken);
        return inserted == 1;
    }

    /// <summary>Removes the grants of <paramref name="upstream"/> matching the given patterns exactly (null: any); returns how many.</summary>
    public static Task<int> RevokeAsync(OrderProcessorDbContext db, string upstream, string? userPattern, string? accountPattern, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.UpstreamGrants
            .Where(g => g.Upstream == upstream && (userPattern == null || g.UserPattern == userPattern) && (accountPattern == null || g.AccountPattern == accountPattern))
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static void Check(string what, string value, bool allowWildcard)
    {
        if (!GrantPattern.IsValid(value, out var problem))
        {
            throw new FormatException($"the {what} {problem}.");
        }

        if (!allowWildcard && value.Contains('*', StringComparison.Ordinal))
        {
            throw new FormatException($"the {what} is a RabbitMQ user name, never a pattern.");
        }
    }
}

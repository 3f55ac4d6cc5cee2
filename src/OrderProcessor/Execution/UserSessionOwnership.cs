using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// This instance's claim on users' IBKR sessions, kept as leases in PostgreSQL. Taking or renewing a lease is one
/// statement: it succeeds for users nobody holds, users this instance already holds, and users whose holder stopped
/// renewing (it died). So two instances never both open a session for one user, and a dead instance's users are taken
/// over within one lease.
/// </summary>
public sealed class UserSessionOwnership(IOptions<LifecycleOptions> options, TimeProvider timeProvider)
{
    /// <summary>This instance's id in the lease table.</summary>
    public string InstanceId { get; } = string.IsNullOrWhiteSpace(options.Value.InstanceId)
        ? $"{Environment.MachineName[..Math.Min(16, Environment.MachineName.Length)]}-{Environment.ProcessId}-{Guid.NewGuid():N}"
        : options.Value.InstanceId!;

    /// <summary>Takes or renews the leases of <paramref name="userIds"/>; returns those this instance holds now.</summary>
    public async Task<IReadOnlySet<string>> TryOwnAsync(OrderProcessorDbContext db, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        if (userIds.Count == 0)
        {
            return new HashSet<string>();
        }

        var now = timeProvider.GetUtcNow();
        var expires = now + options.Value.UserLeaseDuration;
        var users = userIds.Distinct(StringComparer.Ordinal).ToArray();
        var owned = await db.Database.SqlQuery<string>($"""
            INSERT INTO user_session_leases (user_id, owner, expires_at)
            SELECT u, {InstanceId}, {expires} FROM unnest({users}) AS u
            ON CONFLICT (user_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
                WHERE user_session_leases.owner = excluded.owner OR user_session_leases.expires_at < {now}
            RETURNING user_id AS "Value"
            """).ToListAsync(cancellationToken);
        return owned.ToHashSet(StringComparer.Ordinal);
    }
}

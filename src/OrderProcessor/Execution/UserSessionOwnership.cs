using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// This instance's hold on users' IBKR sessions: leases in PostgreSQL, judged by the database's clock, each with a
/// fencing token (an epoch that grows every time the lease is taken anew). Taking or renewing is one statement; it
/// succeeds for users nobody holds, users this instance holds, and users whose holder stopped renewing.
/// <para>
/// The proof this instance keeps in memory is conservative: a lease granted by a statement sent at local time t (a
/// monotonic clock) is trusted until t + the lease − a safety margin, which ends before the database lets anyone else
/// take it. The guard asks <see cref="MayUse"/> before every request to IBKR, and every result is written only if the
/// lease still carries the epoch the work was started under.
/// </para>
/// </summary>
public sealed class UserSessionOwnership(IOptions<LifecycleOptions> options, TimeProvider timeProvider) : IUserSessionAuthority
{
    private readonly ConcurrentDictionary<string, Holding> _held = new(StringComparer.Ordinal);
    private readonly TimeSpan _lease = options.Value.UserLeaseDuration;

    /// <summary>This instance's id in the lease table.</summary>
    public string InstanceId { get; } = string.IsNullOrWhiteSpace(options.Value.InstanceId)
        ? $"{Environment.MachineName[..Math.Min(16, Environment.MachineName.Length)]}-{Environment.ProcessId}-{Guid.NewGuid():N}"
        : options.Value.InstanceId!;

    /// <summary>What is kept off the end of a lease: clocks that run at slightly different rates, a pause between statement and answer.</summary>
    public TimeSpan SafetyMargin => TimeSpan.FromTicks(Math.Max(_lease.Ticks / 10, TimeSpan.FromMilliseconds(500).Ticks));

    /// <summary>The users this instance holds now (their proof may have run out already).</summary>
    public IReadOnlyCollection<string> HeldUsers => [.. _held.Keys];

    /// <summary>Takes or renews the leases of <paramref name="userIds"/> in the caller's transaction; returns those held now, with their epochs.</summary>
    public async Task<IReadOnlyDictionary<string, long>> TryOwnAsync(OrderProcessorDbContext db, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(userIds);
        if (userIds.Count == 0)
        {
            return new Dictionary<string, long>(StringComparer.Ordinal);
        }

        var users = userIds.Distinct(StringComparer.Ordinal).ToArray();
        var sent = timeProvider.GetTimestamp();
        var seconds = _lease.TotalSeconds;

        // The database's clock decides (now() is the transaction's start): instances never compare leases with their own clocks.
        var owned = await db.Database.SqlQuery<OwnedLease>($"""
            INSERT INTO user_session_leases (user_id, owner, expires_at, epoch)
            SELECT u, {InstanceId}, now() + make_interval(secs => {seconds}), 1 FROM unnest({users}) AS u
            ON CONFLICT (user_id) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at,
                epoch = CASE WHEN user_session_leases.owner = excluded.owner AND user_session_leases.expires_at > now()
                             THEN user_session_leases.epoch ELSE user_session_leases.epoch + 1 END
                WHERE user_session_leases.owner = excluded.owner OR user_session_leases.expires_at <= now()
            RETURNING user_id, epoch
            """).ToListAsync(cancellationToken);
        var result = owned.ToDictionary(o => o.UserId, o => o.Epoch, StringComparer.Ordinal);
        Record(users, result, sent);
        return result;
    }

    /// <summary>
    /// Records what a take-or-renew statement sent at <paramref name="sentAt"/> (a <see cref="TimeProvider.GetTimestamp"/>)
    /// answered for <paramref name="asked"/>: held ones are proven until the lease's end minus the margin; the others
    /// are held by another instance and are no longer this instance's.
    /// </summary>
    public void Record(IReadOnlyCollection<string> asked, IReadOnlyDictionary<string, long> owned, long sentAt)
    {
        ArgumentNullException.ThrowIfNull(asked);
        ArgumentNullException.ThrowIfNull(owned);
        var validUntil = sentAt + ToTimestamp(_lease - SafetyMargin);
        foreach (var user in asked)
        {
            if (owned.TryGetValue(user, out var epoch))
            {
                _held.AddOrUpdate(user, _ => new Holding(epoch, validUntil, sentAt), (_, h) => h with { Epoch = epoch, ValidUntil = validUntil });
            }
            else
            {
                _held.TryRemove(user, out _);
            }
        }
    }

    public bool MayUse(string userId, TimeSpan forAtLeast)
    {
        if (!_held.TryGetValue(userId, out var holding))
        {
            return false;
        }

        var now = timeProvider.GetTimestamp();
        _held.TryUpdate(userId, holding with { LastUsed = now }, holding);
        return now + ToTimestamp(forAtLeast) <= holding.ValidUntil;
    }

    /// <summary>The epoch of the user's lease this instance holds, or null.</summary>
    public long? EpochOf(string userId) => _held.TryGetValue(userId, out var holding) ? holding.Epoch : null;

    /// <summary>Users held but not used for <paramref name="idle"/>: their leases can be given up.</summary>
    public IReadOnlyList<string> IdleUsers(TimeSpan idle)
    {
        var cutoff = timeProvider.GetTimestamp() - ToTimestamp(idle);
        return [.. _held.Where(h => h.Value.LastUsed < cutoff).Select(h => h.Key)];
    }

    /// <summary>Stops trusting every lease (they were released, or this instance can no longer prove them).</summary>
    public void ForgetAll() => _held.Clear();

    public void Forget(IEnumerable<string> userIds)
    {
        foreach (var user in userIds ?? [])
        {
            _held.TryRemove(user, out _);
        }
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * timeProvider.TimestampFrequency);

    private sealed record Holding(long Epoch, long ValidUntil, long LastUsed);

    private sealed record OwnedLease(string UserId, long Epoch);
}

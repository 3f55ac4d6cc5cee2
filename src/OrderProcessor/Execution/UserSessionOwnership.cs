using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// This instance's hold on users' IBKR sessions: leases in PostgreSQL, judged by the database's clock, each with a
/// fencing token (an epoch that grows every time the lease is taken anew). Taking or renewing locks the rows in user
/// order, then one statement renews, takes over and inserts; it succeeds for users nobody holds, users this instance
/// holds, and users whose holder stopped renewing.
/// A renewal and the writes fenced on the lease never wait for each other; a takeover waits for those writes.
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

    /// <summary>This instance's configured (or generated) id; see <see cref="LeaseOwner"/>.</summary>
    public string InstanceId { get; } = string.IsNullOrWhiteSpace(options.Value.InstanceId)
        ? $"{Environment.MachineName[..Math.Min(16, Environment.MachineName.Length)]}-{Environment.ProcessId}-{Guid.NewGuid():N}"
        : options.Value.InstanceId!;

    /// <summary>This very process (a restart, or a second process wrongly given the same instance id, has another).</summary>
    public Guid ProcessToken { get; } = Guid.NewGuid();

    /// <summary>
    /// The owner written into the lease table: the instance id and this process's token, so that no other process, even
    /// one with the same instance id, passes for the holder of this process's leases.
    /// </summary>
    public string LeaseOwner => $"{InstanceId}#{ProcessToken:N}";

    /// <summary>What is kept off the end of a lease: clocks that run at slightly different rates, a pause between statement and answer.</summary>
    public TimeSpan SafetyMargin => TimeSpan.FromTicks(Math.Max(_lease.Ticks / 10, TimeSpan.FromMilliseconds(500).Ticks));

    /// <summary>The users this instance holds now (their proof may have run out already).</summary>
    public IReadOnlyCollection<string> HeldUsers => [.. _held.Keys];

    /// <summary>
    /// Takes or renews the leases of <paramref name="userIds"/> in the caller's transaction and returns what the
    /// database granted. Nothing is trusted until the caller has committed and called <see cref="Record"/>.
    /// </summary>
    public async Task<LeaseGrant> TryOwnAsync(OrderProcessorDbContext db, IReadOnlyCollection<string> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(userIds);
        // In one order for every caller: two statements locking the same leases in different orders deadlock.
        var users = userIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var sent = timeProvider.GetTimestamp();
        if (users.Length == 0)
        {
            return new LeaseGrant(users, new Dictionary<string, (long, DateTimeOffset)>(StringComparer.Ordinal), sent);
        }

        var seconds = _lease.TotalSeconds;
        var owner = LeaseOwner;

        // The leases asked for are locked first, in one order for every caller (two statements locking the same leases in
        // different orders deadlock), FOR NO KEY UPDATE: that lock does not wait for the writes fenced on them
        // (LeaseFence's FOR KEY SHARE), so renewing never holds up a result being written, nor waits for one.
        // A caller outside a transaction (the keeper, the poller's follow) gets one here: the ordered locks must last
        // through the update below, or its rows are locked again in the plan's order and two callers can deadlock.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await db.Database.SqlQuery<string>($"""
            SELECT user_id AS "Value" FROM user_session_leases WHERE user_id = ANY({users}) ORDER BY user_id FOR NO KEY UPDATE
            """).ToListAsync(cancellationToken);

        // The database's clock decides, read when the statement runs (clock_timestamp(), not the transaction's start):
        // instances never compare leases with their own clocks, and the lease cannot start before the proof does.
        // A renewal keeps the epoch; a lease taken anew (run out, whoever held it) gets the next one. The epoch is a key
        // column (unique with the user), so changing it takes the row's strongest lock: a takeover waits for every write
        // still fenced on the old epoch to commit, and a write fenced after it sees the new epoch and is refused.
        var owned = await db.Database.SqlQuery<OwnedLease>($"""
            -- ON CONFLICT without a target: two instances inserting one new user conflict on the key index too.
            WITH renewed AS (
                UPDATE user_session_leases l SET owner = {owner}, expires_at = clock_timestamp() + make_interval(secs => {seconds}),
                    epoch = CASE WHEN l.owner = {owner} AND l.expires_at > clock_timestamp() THEN l.epoch ELSE l.epoch + 1 END
                WHERE l.user_id = ANY({users}) AND (l.owner = {owner} OR l.expires_at <= clock_timestamp())
                RETURNING l.user_id, l.epoch, l.expires_at),
            taken AS (
                INSERT INTO user_session_leases (user_id, owner, expires_at, epoch)
                SELECT u, {owner}, clock_timestamp() + make_interval(secs => {seconds}), 1 FROM unnest({users}) AS u
                WHERE NOT EXISTS (SELECT 1 FROM user_session_leases x WHERE x.user_id = u)
                ORDER BY u
                ON CONFLICT DO NOTHING
                RETURNING user_id, epoch, expires_at)
            SELECT user_id, epoch, expires_at FROM renewed UNION ALL SELECT user_id, epoch, expires_at FROM taken
            """).ToListAsync(cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }
        return new LeaseGrant(users, owned.ToDictionary(o => o.UserId, o => (o.Epoch, o.ExpiresAt), StringComparer.Ordinal), sent);
    }

    /// <summary>
    /// Records a committed grant: held users are proven until the lease's end (counted from when the statement was sent)
    /// minus the margin; the others are held by another instance and are no longer this instance's. With
    /// <paramref name="inUse"/>, the users count as used now (a claim or a poll, not the keeper's renewal).
    /// </summary>
    public void Record(LeaseGrant grant, bool inUse = true)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var validUntil = grant.SentAt + ToTimestamp(_lease - SafetyMargin);
        foreach (var user in grant.Asked)
        {
            if (grant.Owned.TryGetValue(user, out var lease))
            {
                _held.AddOrUpdate(user,
                    _ => new Holding(lease.Epoch, validUntil, grant.SentAt, lease.ExpiresAt),
                    (_, h) => h with { Epoch = lease.Epoch, ValidUntil = validUntil, LastUsed = inUse ? grant.SentAt : h.LastUsed, DatabaseExpiry = lease.ExpiresAt });
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

    /// <summary>
    /// The epoch of the user's lease when this instance's proof holds for at least <paramref name="forAtLeast"/> more and
    /// the user was used within <paramref name="usedWithin"/> (it then counts as used now); else null. A proof that holds
    /// means the database still has the lease as this instance's under that epoch: nobody can take a lease before it
    /// runs out, and this instance's own renewals keep the epoch. The recent use keeps it clear of the keeper's idle
    /// release, which gives back a lease unused for <see cref="UserSessionLeaseKeeper.IdleRelease"/> and is held off
    /// only by a write that moves the lease's expiry: a user idle for long goes through <see cref="TryOwnAsync"/>.
    /// </summary>
    public long? ProvenEpoch(string userId, TimeSpan forAtLeast, TimeSpan usedWithin)
    {
        var now = timeProvider.GetTimestamp();
        while (_held.TryGetValue(userId, out var holding))
        {
            if (now + ToTimestamp(forAtLeast) > holding.ValidUntil || holding.LastUsed < now - ToTimestamp(usedWithin))
            {
                return null;
            }

            if (_held.TryUpdate(userId, holding with { LastUsed = now }, holding))
            {
                return holding.Epoch;
            }
        }

        return null;
    }

    /// <summary>The epoch of the user's lease this instance holds, or null.</summary>
    public long? EpochOf(string userId) => _held.TryGetValue(userId, out var holding) ? holding.Epoch : null;

    /// <summary>Users held but not used for <paramref name="idle"/>, with the database expiry of the lease this instance last saw.</summary>
    public IReadOnlyList<(string UserId, DateTimeOffset DatabaseExpiry)> IdleUsers(TimeSpan idle)
    {
        var cutoff = timeProvider.GetTimestamp() - ToTimestamp(idle);
        return [.. _held.Where(h => h.Value.LastUsed < cutoff).Select(h => (h.Key, h.Value.DatabaseExpiry))];
    }

    /// <summary>Forgets a lease given back, unless it was renewed meanwhile (its database expiry moved).</summary>
    public void ForgetIfUnchanged(string userId, DateTimeOffset databaseExpiry)
    {
        if (_held.TryGetValue(userId, out var holding) && holding.DatabaseExpiry == databaseExpiry)
        {
            _held.TryRemove(new KeyValuePair<string, Holding>(userId, holding));
        }
    }

    /// <summary>Stops trusting every lease (they were released, or this instance can no longer prove them).</summary>
    public void ForgetAll() => _held.Clear();

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * timeProvider.TimestampFrequency);

    private sealed record Holding(long Epoch, long ValidUntil, long LastUsed, DateTimeOffset DatabaseExpiry);

    private sealed record OwnedLease(string UserId, long Epoch, DateTimeOffset ExpiresAt);
}

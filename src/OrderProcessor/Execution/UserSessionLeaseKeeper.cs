using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// Keeps this instance's user-session leases on a timer of their own (a third of the lease), independent of polls and
/// IBKR calls that may be slow: a slow user never lets another user's lease lapse. Registers the instance at start and
/// refuses to start when another live process uses the same instance id; beats its heartbeat; gives up leases of users
/// it has not used for a while; and when it stops cleanly (after the broker worker and the status poller, which are
/// registered after it), releases every lease so other instances take the users over at once.
/// </summary>
public sealed partial class UserSessionLeaseKeeper(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    UserSessionOwnership ownership,
    IHostApplicationLifetime lifetime,
    IOptions<LifecycleOptions> options,
    TimeProvider timeProvider,
    ILogger<UserSessionLeaseKeeper> logger) : BackgroundService
{
    /// <summary>A user this instance has not touched for this long gives its lease back.</summary>
    public static readonly TimeSpan IdleRelease = TimeSpan.FromMinutes(10);

    private Guid ProcessToken => ownership.ProcessToken;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        var stale = options.Value.UserLeaseDuration.TotalSeconds;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var registered = await db.Database.SqlQuery<Guid>($"""
                INSERT INTO processor_instances (instance_id, process_token, started_at, heartbeat_at)
                VALUES ({ownership.InstanceId}, {ProcessToken}, now(), now())
                ON CONFLICT (instance_id) DO UPDATE SET process_token = excluded.process_token, started_at = now(), heartbeat_at = now()
                    WHERE processor_instances.heartbeat_at < now() - make_interval(secs => {stale})
                RETURNING process_token AS "Value"
                """).ToListAsync(cancellationToken);
            if (registered.Count == 0)
            {
                throw new InvalidOperationException(
                    $"Lifecycle:InstanceId '{ownership.InstanceId}' is in use by another running processor (its heartbeat is younger than Lifecycle:UserLeaseDuration). " +
                    "Give each instance its own id (Lifecycle__InstanceId), or leave it empty for a generated one.");
            }
        }

        LogRegistered(ownership.InstanceId);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Max(options.Value.UserLeaseDuration.Ticks / 3, TimeSpan.FromMilliseconds(100).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(period, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await RenewAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Nothing to undo: the proofs in memory run out on their own before the database lets the leases pass.
                LogRenewFailed(exception);
            }
        }
    }

    /// <summary>One beat: the heartbeat, the idle users' leases given back, the others renewed.</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var beats = await db.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE processor_instances SET heartbeat_at = now() WHERE instance_id = {ownership.InstanceId} AND process_token = {ProcessToken}",
            cancellationToken);
        if (beats == 0)
        {
            // Another process registered this instance id after this one's heartbeat went stale (it was stalled): its
            // leases are that process's business now. Stop at once; a restart registers anew.
            LogInstanceTaken(ownership.InstanceId);
            ownership.ForgetAll();
            lifetime.StopApplication();
            return;
        }

        foreach (var (user, expiry) in ownership.IdleUsers(IdleRelease))
        {
            // Expired, not deleted, so the epoch keeps growing; and only if nobody renewed it since (a claim may just have).
            var owner = ownership.LeaseOwner;
            var released = await db.Database.ExecuteSqlInterpolatedAsync(
                $"UPDATE user_session_leases SET expires_at = clock_timestamp() WHERE user_id = {user} AND owner = {owner} AND expires_at = {expiry}",
                cancellationToken);
            if (released == 1)
            {
                ownership.ForgetIfUnchanged(user, expiry);
            }
        }

        var held = ownership.HeldUsers;
        if (held.Count > 0)
        {
            ownership.Record(await ownership.TryOwnAsync(db, held, cancellationToken), inUse: false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        ownership.ForgetAll();
        try
        {
            // Its own few seconds, whatever the earlier steps of the stop left of the host's budget.
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(5), timeProvider);
            await using var db = await dbFactory.CreateDbContextAsync(bounded.Token);
            // Expired rather than deleted: the next holder's epoch is then one more, never a new 1. The rows are locked
            // in user order, as every other statement on leases takes them, so the release cannot deadlock with them.
            var owner = ownership.LeaseOwner;
            int released;
            await using (var transaction = await db.Database.BeginTransactionAsync(bounded.Token))
            {
                released = await db.Database.ExecuteSqlInterpolatedAsync($"""
                    UPDATE user_session_leases SET expires_at = clock_timestamp()
                    WHERE user_id IN (SELECT user_id FROM user_session_leases
                                      WHERE owner = {owner} AND expires_at > clock_timestamp()
                                      ORDER BY user_id FOR UPDATE)
                    """, bounded.Token);

                // The other instances listen (LeaseReleaseListener) and take the users now, not at their next read or
                // claim. Sent with the release (PostgreSQL delivers it at the commit, never before the release is
                // visible), naming the lease owner, so that they take exactly the users this process released.
                await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_notify({LeaseReleaseSignal.Channel}, {owner})", bounded.Token);
                await transaction.CommitAsync(bounded.Token);
            }

            await db.Database.ExecuteSqlInterpolatedAsync(
                $"DELETE FROM processor_instances WHERE instance_id = {ownership.InstanceId} AND process_token = {ProcessToken}", bounded.Token);
            LogReleased(released, ownership.InstanceId);
        }
        catch (Exception exception)
        {
            // The leases then simply run out.
            LogReleaseFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Processor instance {InstanceId} registered")]
    private partial void LogRegistered(string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing this instance's user-session leases failed; users whose lease can no longer be proven get no IBKR call until it is")]
    private partial void LogRenewFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Another process has registered instance id {InstanceId}; this process stops talking to IBKR and shuts down")]
    private partial void LogInstanceTaken(string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} user-session lease(s) of instance {InstanceId} on shutdown")]
    private partial void LogReleased(int count, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release this instance's user-session leases on shutdown; they run out on their own")]
    private partial void LogReleaseFailed(Exception exception);
}

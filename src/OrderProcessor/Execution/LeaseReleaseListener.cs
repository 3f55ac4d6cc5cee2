using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// Listens (PostgreSQL LISTEN) for other instances releasing their leases on a clean stop, takes the released users
/// that have work here at once, and wakes this instance's status poller and broker worker, so the released users are
/// held again within milliseconds rather than at the next read of the users to follow or the next claim. Only an
/// accelerator: without it (the connection lost, a failover) the users are taken at that next read or claim, as before.
/// </summary>
public sealed partial class LeaseReleaseListener(
    IOptions<DatabaseOptions> database,
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    UserSessionOwnership ownership,
    IHostApplicationLifetime lifetime,
    LeaseReleaseSignal releases,
    BrokerWorkSignal work,
    TimeProvider timeProvider,
    ILogger<LeaseReleaseListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.Value.ConnectionString) { Pooling = false, KeepAlive = 15 };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The notification names the process that released (its lease owner). It is queued by the event and
                // handled by this loop: the event runs inside whichever read of the connection sees it, which may be the
                // keepalive's, on a timer thread, while this loop is taking users; so the loop looks at the queue before
                // each wait as well, and waits at most a second.
                var released = new ConcurrentQueue<string>();
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) => released.Enqueue(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {LeaseReleaseSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    var owners = new List<string>();
                    while (released.TryDequeue(out var owner))
                    {
                        owners.Add(owner);
                    }

                    if (owners.Count > 0)
                    {
                        await TakeReleasedUsersAsync([.. owners.Distinct(StringComparer.Ordinal)], stoppingToken);
                        releases.Notify();
                        work.Notify();
                    }

                    await connection.WaitAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogListenFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// Takes the leases the stopped processes released of the users with work due now, in a transaction of its own (the
    /// users with orders at IBKR are taken by the status poller this listener wakes next, in its read of the users to
    /// follow). Left to the next claim, a user whose orders were all received while its holder drained (none at IBKR, so
    /// the poller does not take it) stayed without an owner until that claim had locked,
    /// decided and written its whole batch and committed: 0.7-1.3 s on a freshly started instance. Users whose work is
    /// due later are left to the claims of whichever instance gets to them. The take is the same as every other
    /// (<see cref="UserSessionOwnership.TryOwnAsync"/>): only a lease that has run out by the database's clock passes, so
    /// no user is ever held by two processes. A take that commits while this instance stops is still released: the
    /// keeper stops after this listener and releases by owner in the database, not by what this process remembers.
    /// </summary>
    private async Task TakeReleasedUsersAsync(string[] owners, CancellationToken stoppingToken)
    {
        // A stopping instance takes no user it does not have (its worker and poller are stopping or stopped): it would
        // hold them, unworked, until its own release.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        if (linked.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(linked.Token);
            var users = await db.Database.SqlQuery<string>($"""
                SELECT l.user_id AS "Value" FROM user_session_leases l
                WHERE l.owner = ANY({owners}) AND l.owner <> {ownership.LeaseOwner}
                  AND l.user_id IN (SELECT o.user_id FROM orders o WHERE o.work_due <> 'None' AND o.work_due_at <= clock_timestamp())
                """).ToListAsync(linked.Token);
            if (users.Count > 0)
            {
                ownership.Record(await ownership.TryOwnAsync(db, users, linked.Token));
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // Stopping: this instance takes nothing more.
        }
        catch (Exception exception)
        {
            // The users are then taken at the next claim or read, as without the listener.
            LogTakeFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for released leases failed; listening again (meanwhile released users are taken at the next read)")]
    private partial void LogListenFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Taking the users another instance released failed; they are taken at the next claim or read")]
    private partial void LogTakeFailed(Exception exception);
}

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
                // The notification names the process that released (its lease owner); it is handled once WaitAsync has
                // returned, not in the event, which runs inside the connection's read.
                var released = new List<string>();
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, e) => released.Add(e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {LeaseReleaseSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                    if (released.Count > 0)
                    {
                        var owners = released.ToArray();
                        released.Clear();
                        await TakeReleasedUsersAsync(owners, stoppingToken);
                        releases.Notify();
                        work.Notify();
                    }
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
    /// Takes the leases the stopped processes released of the users with work here (work due, or orders at IBKR to
    /// follow): the users the next claim or read of the users to follow would take, taken now in a transaction of their
    /// own. Left to the claim, a user whose orders were all received while its holder drained (none at IBKR) stayed
    /// without an owner until a claim had locked, decided and written its whole batch and committed (hundreds of ms in a
    /// burst). The take is the same as every other (<see cref="UserSessionOwnership.TryOwnAsync"/>): only a lease that
    /// has run out by the database's clock passes, so no user is ever held by two processes.
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
            var followed = PostgresOrderStore.Followed.Select(s => s.ToString()).ToArray();
            var users = await db.Database.SqlQuery<string>($"""
                SELECT l.user_id AS "Value" FROM user_session_leases l
                WHERE l.owner = ANY({owners}) AND l.owner <> {ownership.LeaseOwner}
                  AND (l.user_id IN (SELECT o.user_id FROM orders o WHERE o.work_due <> 'None')
                       OR l.user_id IN (SELECT o.user_id FROM orders o WHERE o.status = ANY({followed})))
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

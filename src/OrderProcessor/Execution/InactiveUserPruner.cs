using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// Forgets users who stopped trading: their user-session lease rows once expired for <see cref="LeaseRetention"/> (a
/// platform sees thousands of distinct users; without this the table only grows), and the account reads of
/// <see cref="AccountDirectory"/> past their freshness. The guard prunes its own per-user state (Brokerage:Session:PruneAfter).
/// Deleting an expired lease is safe: a write is fenced by the lease's owner, which names one process, so no stale
/// process can pass the fence of a row re-created for the user later.
/// </summary>
public sealed partial class InactiveUserPruner(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    AccountDirectory accounts,
    TimeProvider timeProvider,
    ILogger<InactiveUserPruner> logger) : BackgroundService
{
    /// <summary>How long an expired lease row is kept (far beyond any work lease, so no work of its holder is still running).</summary>
    public static readonly TimeSpan LeaseRetention = TimeSpan.FromDays(1);

    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                accounts.Prune();
                await PruneLeasesAsync(LeaseRetention, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogPruneFailed(exception);
            }

            await Task.Delay(Interval, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Deletes lease rows expired for longer than <paramref name="retention"/> by the database's clock; returns how many.</summary>
    public async Task<int> PruneLeasesAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var seconds = retention.TotalSeconds;
        var deleted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"DELETE FROM user_session_leases WHERE expires_at < clock_timestamp() - make_interval(secs => {seconds})", cancellationToken);
        if (deleted > 0)
        {
            LogPruned(deleted, retention);
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} user-session lease row(s) expired for more than {Retention}")]
    private partial void LogPruned(int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning inactive users failed; the next run tries again")]
    private partial void LogPruneFailed(Exception exception);
}

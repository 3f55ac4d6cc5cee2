using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;

namespace OrderProcessor.Inbox;

/// <summary>
/// Keeps what de-duplication needs and no more: processed message ids, early cancels and answered margin checks older
/// than <see cref="LifecycleOptions.InboxRetention"/> (7 days) are deleted, in batches, once an hour. A redelivery older
/// than that is no longer recognised by its message id (a repeated PlaceOrder still is, by its order id). The outbox is
/// never pruned: it is the audit trail.
/// </summary>
public sealed partial class InboxPruner(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    IOptions<LifecycleOptions> options,
    TimeProvider timeProvider,
    ILogger<InboxPruner> logger) : BackgroundService
{
    private const int BatchSize = 10_000;
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneAsync(timeProvider.GetUtcNow() - options.Value.InboxRetention, stoppingToken);
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

    /// <summary>Deletes what is older than <paramref name="cutoff"/>; returns how many rows of each kind went.</summary>
    public async Task<(int Inbox, int EarlyCancels, int MarginChecks)> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var inbox = await DeleteInBatchesAsync("inbox_messages", "processed_at < {0}", cutoff, cancellationToken);
        var early = await DeleteInBatchesAsync("early_cancels", "received_at < {0}", cutoff, cancellationToken);
        var checks = await DeleteInBatchesAsync("margin_checks", "answered_at < {0}", cutoff, cancellationToken);
        if (inbox + early + checks > 0)
        {
            LogPruned(inbox, early, checks, cutoff);
        }

        return (inbox, early, checks);
    }

    private async Task<int> DeleteInBatchesAsync(string table, string condition, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            // Batches keep each transaction (and the locks and WAL it holds) small on a table that grows all day.
#pragma warning disable EF1002 // table and condition are constants of this class; only the cutoff is a parameter
            var deleted = await db.Database.ExecuteSqlRawAsync(
                $"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE {condition} LIMIT {BatchSize})", [cutoff], cancellationToken);
#pragma warning restore EF1002
            total += deleted;
            if (deleted < BatchSize)
            {
                return total;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Inbox} inbox row(s), {EarlyCancels} early cancel(s) and {MarginChecks} answered margin check(s) older than {Cutoff}")]
    private partial void LogPruned(int inbox, int earlyCancels, int marginChecks, DateTimeOffset cutoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the inbox failed; the next run tries again")]
    private partial void LogPruneFailed(Exception exception);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>
/// Cancels the working orders of a halt made with <c>cancel working</c> (every instance runs it; checked every second).
/// Each order of the scope not final yet and not already asked to cancel gets a cancel through the state machine, as a
/// CancelOrder would (its own transaction, the order's lock, the outbox): the table does the right thing per status
/// (cancel now, cancel when known, send the cancel, cancel again). Orders that need an operator refuse a cancel and are
/// left to the operator (<c>orders halt --wait</c> lists them). When nothing is left the halt is marked swept, and it is
/// still swept every second while it lasts (an order can be working again later: see <see cref="HaltSweep.ToSweep"/>). Two
/// instances sweeping one halt cancel each order once (an order already asked to cancel is skipped).
/// </summary>
public sealed partial class HaltCancelSweeper(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    OutboxSignal outboxSignal,
    BrokerWorkSignal workSignal,
    IOptions<LifecycleOptions> options,
    TimeProvider timeProvider,
    ILogger<HaltCancelSweeper> logger) : BackgroundService
{
    /// <summary>Orders asked to cancel per pass (the rest follow in the next pass).</summary>
    public const int BatchSize = HaltSweep.BatchSize;

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly LifecycleSettings _settings = options.Value.ToSettings();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(exception);
            }

            try
            {
                await Task.Delay(Interval, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over the halts still to sweep; returns how many orders were asked to cancel.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        List<TradingHaltRow> halts;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            halts = await db.TradingHalts.AsNoTracking()
                .Where(HaltSweep.ToSweep)
                .ToListAsync(cancellationToken);
        }

        var cancelled = 0;
        foreach (var halt in halts)
        {
            cancelled += await SweepAsync(halt, cancellationToken);
        }

        return cancelled;
    }

    private async Task<int> SweepAsync(TradingHaltRow halt, CancellationToken cancellationToken)
    {
        var view = TradingHaltStore.ViewOf(halt);
        List<Guid> ids;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            ids = await HaltSweep.Batch(db.Orders.AsNoTracking(), view).ToListAsync(cancellationToken);
        }

        var cancelled = 0;
        foreach (var id in ids)
        {
            cancelled += await CancelAsync(id, halt, cancellationToken) ? 1 : 0;
        }

        if (HaltSweep.IsLast(ids.Count) && halt.CancelSweptAt is null)
        {
            // The first sweep is done (what `orders halt --wait` waits for); the halt is still swept while it lasts.
            await MarkSweptAsync(halt.HaltId, cancellationToken);
            LogSwept(halt.HaltId, view.ScopeText, cancelled);
        }

        if (cancelled > 0)
        {
            outboxSignal.Notify();
            workSignal.Notify();
        }

        return cancelled;
    }

    private async Task<bool> CancelAsync(Guid orderId, TradingHaltRow halt, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var key = orderId.ToString();
                await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))", cancellationToken);
                var order = await db.Orders.SingleAsync(o => o.OrderId == orderId, cancellationToken);
                if (!HaltSweep.StillToCancel(order, halt))
                {
                    return false;
                }

                var carried = await db.Orders.Where(o => o.SubmittedWithOrderId == order.OrderId).OrderBy(o => o.ClientOrderId).ToListAsync(cancellationToken);
                var decision = HaltSweep.Cancel(order, carried, halt, timeProvider.GetUtcNow(), _settings);
                OutboxWriter.Append(db, decision);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException exception) when (attempt < 5 && Consumers.DatabaseRetry.IsConflict(exception))
            {
                // The worker changed the order meanwhile (a claim or a result: its version moved, or it took the event
                // sequence number first): decide again on the new state.
            }
        }
    }

    private async Task MarkSweptAsync(Guid haltId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        await db.TradingHalts.Where(h => h.HaltId == haltId && h.CancelSweptAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(h => h.CancelSweptAt, now), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Halt {HaltId} ({Scope}): working orders swept, {Count} asked to cancel in the last pass")]
    private partial void LogSwept(Guid haltId, string scope, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The halt cancel sweep failed; it is tried again in a second")]
    private partial void LogSweepFailed(Exception exception);
}

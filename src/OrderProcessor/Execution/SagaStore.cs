using Microsoft.EntityFrameworkCore;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// One unit of work on order sagas outside a consumer (worker, poller): load, apply a pure transition, write the
/// events to the outbox, commit; on a conflict with another writer, reload and apply again.
/// </summary>
public sealed class SagaStore(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    OutboxSignal outboxSignal,
    BrokerWorkSignal workSignal,
    Telemetry.OrderProcessorMetrics metrics)
{
    private const int ConflictRetries = 10;

    /// <summary>Loads a submission group: the leader, then the orders its submission carries, in a stable order.</summary>
    public static async Task<List<OrderSaga>> LoadGroupAsync(OrderProcessorDbContext db, Guid leaderId, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.Where(o => o.OrderId == leaderId || o.SubmittedWithOrderId == leaderId).ToListAsync(cancellationToken);
        return [.. orders.OrderBy(o => o.OrderId == leaderId ? 0 : 1).ThenBy(o => o.ClientOrderId, StringComparer.Ordinal)];
    }

    /// <summary>Applies <paramref name="transition"/> to a group; returns false when the group no longer exists.</summary>
    public Task<bool> UpdateGroupAsync(Guid leaderId, Func<List<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken) =>
        UpdateAsync(async db =>
        {
            var group = await LoadGroupAsync(db, leaderId, cancellationToken);
            return group.Count == 0 || group[0].OrderId != leaderId ? null : transition(group);
        }, cancellationToken);

    /// <summary>Applies <paramref name="transition"/> to the orders with these client order ids (missing ones are left out).</summary>
    public Task<bool> UpdateByClientOrderIdsAsync(IReadOnlyCollection<string> clientOrderIds,
        Func<Dictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken) =>
        UpdateAsync(async db =>
        {
            var orders = await db.Orders.Where(o => clientOrderIds.Contains(o.ClientOrderId)).ToDictionaryAsync(o => o.ClientOrderId, cancellationToken);
            return orders.Count == 0 ? null : transition(orders);
        }, cancellationToken);

    private async Task<bool> UpdateAsync(Func<OrderProcessorDbContext, Task<OrderDecision?>> apply, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var decision = await apply(db);
            if (decision is null)
            {
                return false;
            }

            db.Orders.AddRange(decision.Created);
            OutboxWriter.Append(db, decision);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (attempt < ConflictRetries && Consumers.DatabaseRetry.IsConflict(exception))
            {
                // Another writer changed one of these orders first (its xmin moved, or it took the next event sequence
                // number): read them again and decide again.
                continue;
            }

            metrics.EventsWritten(decision);
            if (decision.Events.Count > 0)
            {
                outboxSignal.Notify();
            }

            workSignal.Notify();
            return true;
        }
    }
}

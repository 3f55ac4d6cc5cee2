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
        return orders.Find(o => o.OrderId == leaderId) is { } leader ? GroupOf(leader, orders) : [];
    }

    /// <summary>Loads the submission groups of several leaders already read, with one query for all their carried orders.</summary>
    public static async Task<List<List<OrderSaga>>> LoadGroupsAsync(OrderProcessorDbContext db, IReadOnlyList<OrderSaga> leaders, CancellationToken cancellationToken)
    {
        var leaderIds = leaders.Select(l => (Guid?)l.OrderId).ToList();
        var carried = await db.Orders.Where(o => leaderIds.Contains(o.SubmittedWithOrderId)).ToListAsync(cancellationToken);
        return [.. leaders.Select(leader => GroupOf(leader, carried))];
    }

    private static List<OrderSaga> GroupOf(OrderSaga leader, IEnumerable<OrderSaga> orders) =>
        [leader, .. orders.Where(o => o.SubmittedWithOrderId == leader.OrderId && o.OrderId != leader.OrderId).OrderBy(o => o.ClientOrderId, StringComparer.Ordinal)];

    /// <summary>
    /// Applies <paramref name="transition"/> to a claimed group: first to the orders as the claim left them (no read),
    /// and if another writer changed any of them since, to the group read again. Returns false when it no longer exists.
    /// </summary>
    public Task<bool> UpdateGroupAsync(ClaimedWork work, Func<List<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        var firstAttempt = true;
        return UpdateAsync(async db =>
        {
            if (firstAttempt)
            {
                firstAttempt = false;
                db.Orders.AttachRange(work.Group);
                return transition([.. work.Group]);
            }

            var group = await LoadGroupAsync(db, work.LeaderId, cancellationToken);
            return group.Count == 0 ? null : transition(group);
        }, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="transition"/> to the orders with these client order ids that are not final yet (missing
    /// and final ones are left out: nothing IBKR reports changes a final order).
    /// </summary>
    public Task<bool> UpdateOpenByClientOrderIdsAsync(IReadOnlyCollection<string> clientOrderIds,
        Func<Dictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken) =>
        UpdateAsync(async db =>
        {
            var orders = await db.Orders.Where(o => clientOrderIds.Contains(o.ClientOrderId) && !OrderTransitions.FinalStatuses.Contains(o.Status))
                .ToDictionaryAsync(o => o.ClientOrderId, cancellationToken);
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
                metrics.SagaConflict();
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

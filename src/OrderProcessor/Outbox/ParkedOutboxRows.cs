using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Outbox;

/// <summary>
/// Reads and releases parked outbox rows: for the readiness report, the gauge and <c>orders outbox parked|retry</c>.
/// Only the pending rows are touched, never the events.
/// </summary>
public static class ParkedOutboxRows
{
    public static Task<int> CountAsync(OrderProcessorDbContext db, CancellationToken cancellationToken) =>
        db.OutboxPending.CountAsync(p => p.ParkedAt != null, cancellationToken);

    /// <summary>The first <paramref name="limit"/> parked rows in outbox order.</summary>
    public static async Task<List<ParkedOutboxRow>> ListAsync(OrderProcessorDbContext db, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Outbox.AsNoTracking()
            .Where(o => o.Pending!.ParkedAt != null)
            .OrderBy(o => o.Sequence)
            .Take(limit)
            .Select(o => new ParkedOutboxRow(o.Sequence, o.OrderId, o.OrderSequence, o.MessageType, o.Pending!.ParkedAt!.Value, o.Pending.Attempts,
                o.Pending.ParkReason ?? string.Empty,
                db.OutboxPending.Count(later => later.OrderId == o.OrderId && later.Sequence > o.Sequence)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Clears the park of the chosen rows (all when both are null) and makes them due now, with a fresh count of
    /// attempts: the relay takes each again as the first unpublished event of its order. Returns the rows released.
    /// </summary>
    public static Task<int> RetryAsync(OrderProcessorDbContext db, long? sequence, Guid? orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.OutboxPending
            .Where(p => p.ParkedAt != null)
            .Where(p => sequence == null || p.Sequence == sequence)
            .Where(p => orderId == null || p.OrderId == orderId)
            .ExecuteUpdateAsync(set => set
                .SetProperty(p => p.ParkedAt, (DateTimeOffset?)null)
                .SetProperty(p => p.ParkReason, (string?)null)
                .SetProperty(p => p.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(p => p.Attempts, 0), cancellationToken);
    }
}

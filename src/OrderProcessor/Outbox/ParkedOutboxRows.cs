using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Outbox;

/// <summary>
/// Reads and releases parked outbox rows: for the readiness report, the gauge and <c>orders outbox parked|retry</c>.
/// Only the relay's own columns are touched, never what the hash covers.
/// </summary>
public static class ParkedOutboxRows
{
    public static Task<int> CountAsync(OrderProcessorDbContext db, CancellationToken cancellationToken) =>
        db.Outbox.CountAsync(o => o.ParkedAt != null, cancellationToken);

    /// <summary>The first <paramref name="limit"/> parked rows in outbox order.</summary>
    public static async Task<List<ParkedOutboxRow>> ListAsync(OrderProcessorDbContext db, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Outbox.AsNoTracking()
            .Where(o => o.ParkedAt != null)
            .OrderBy(o => o.Sequence)
            .Take(limit)
            .Select(o => new ParkedOutboxRow(o.Sequence, o.OrderId, o.OrderSequence, o.MessageType, o.ParkedAt!.Value, o.Attempts, o.ParkReason ?? string.Empty,
                db.Outbox.Count(later => later.OrderId == o.OrderId && later.PublishedAt == null && later.Sequence > o.Sequence)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Clears the park of the chosen rows (all when both are null) and makes them due now, with a fresh count of
    /// attempts: the relay takes each again as the first unpublished event of its order. Returns the rows released.
    /// </summary>
    public static Task<int> RetryAsync(OrderProcessorDbContext db, long? sequence, Guid? orderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Outbox
            .Where(o => o.ParkedAt != null && o.PublishedAt == null)
            .Where(o => sequence == null || o.Sequence == sequence)
            .Where(o => orderId == null || o.OrderId == orderId)
            .ExecuteUpdateAsync(set => set
                .SetProperty(o => o.ParkedAt, (DateTimeOffset?)null)
                .SetProperty(o => o.ParkReason, (string?)null)
                .SetProperty(o => o.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(o => o.Attempts, 0), cancellationToken);
    }
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;
using OrderProcessor.Upstreams;

namespace OrderProcessor.Consumers;

/// <summary>What a command about an existing order acts for, as upstream authorization judges it.</summary>
public static class SubjectOf
{
    /// <summary>
    /// The order's own user and account when the processor knows the order (a claimed user that is not the owner is
    /// refused by the lifecycle anyway); the claimed user alone for an order not known yet (its cancel is kept).
    /// </summary>
    public static async Task<UpstreamSubject> OrderAsync(OrderProcessorDbContext db, Guid orderId, string? claimedUserId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var order = await db.Orders.AsNoTracking()
            .Where(o => o.OrderId == orderId)
            .Select(o => new { o.UserId, o.AccountId })
            .SingleOrDefaultAsync(cancellationToken);
        return order is null ? new UpstreamSubject(claimedUserId, null) : new UpstreamSubject(order.UserId, order.AccountId);
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Halts;

/// <summary>The orders a halt covers that are not final yet (what its cancel sweep cancels, what <c>orders halt --wait</c> follows).</summary>
public static class HaltScopeOrders
{
    private static readonly OrderStatus[] Finals = [OrderStatus.Filled, OrderStatus.Cancelled, OrderStatus.Rejected, OrderStatus.Failed];

    public static IQueryable<OrderSaga> NotFinal(OrderProcessorDbContext db, HaltScope scope, string? accountId, string? userId)
    {
        ArgumentNullException.ThrowIfNull(db);
        return NotFinal(db.Orders, scope, accountId, userId);
    }

    /// <summary>The same over any source of orders (the lifecycle simulation's in-memory table).</summary>
    public static IQueryable<OrderSaga> NotFinal(IQueryable<OrderSaga> source, HaltScope scope, string? accountId, string? userId)
    {
        var orders = source.Where(o => !Finals.Contains(o.Status));
        return scope switch
        {
            HaltScope.Account => orders.Where(o => o.AccountId == accountId),
            HaltScope.User => orders.Where(o => o.UserId == userId),
            _ => orders,
        };
    }
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Cli.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.Cli.Bench;

/// <summary>Reads the sagas of the orders a phase placed from PostgreSQL (the processor's own record of them).</summary>
public static class BenchOrders
{
    public static bool IsFinal(OrderStatus status) => OrderLifecycle.IsFinal(status);

    public static async Task<IReadOnlyDictionary<Guid, (string ClientOrderId, OrderStatus Status, decimal Filled)>> ReadAsync(
        CliSettings settings, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var db = await settings.DbContextFactory().CreateDbContextAsync(cancellationToken);
        var list = ids.ToList();
        return await db.Orders.AsNoTracking().Where(o => list.Contains(o.OrderId))
            .ToDictionaryAsync(o => o.OrderId, o => (o.ClientOrderId, o.Status, o.FilledQuantity), cancellationToken);
    }

    /// <summary>Waits until every saga is final, or <paramref name="within"/> passed; answers how many are not.</summary>
    public static async Task<int> WaitFinalAsync(CliSettings settings, IReadOnlyCollection<Guid> ids, TimeSpan within, CancellationToken cancellationToken)
    {
        var until = DateTimeOffset.UtcNow + within;
        while (true)
        {
            var orders = await ReadAsync(settings, ids, cancellationToken);
            var open = ids.Count(id => !orders.TryGetValue(id, out var o) || !IsFinal(o.Status));
            if (open == 0 || DateTimeOffset.UtcNow >= until)
            {
                return open;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}

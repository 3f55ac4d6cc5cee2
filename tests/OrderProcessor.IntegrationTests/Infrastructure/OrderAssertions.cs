using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>Checks that span the processor and the simulator.</summary>
public static class OrderAssertions
{
    /// <summary>Waits until the order's saga row is in <paramref name="status"/>.</summary>
    public static async Task<OrderSaga> WaitForStatusAsync(this ProcessorFixture fixture, Guid orderId, OrderStatus status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        OrderSaga? order = null;
        while (DateTime.UtcNow < deadline)
        {
            await using var db = fixture.Db();
            order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.OrderId == orderId);
            if (order?.Status == status)
            {
                return order;
            }

            await Task.Delay(50);
        }

        if (order is null)
        {
            throw new TimeoutException($"order {orderId} is missing, not {status}: {await fixture.DescribeMissingOrderAsync(orderId)}");
        }

        throw new TimeoutException($"order {orderId} is {order.Status}, not {status} (last reason: {order.LastReason}).");
    }

    /// <summary>
    /// Waits until IBKR (the simulator) has answered the order's cancel request. A manual market carries a cancel out
    /// on its next tick after the request, so a test ticks only after this: PendingCancel in the saga is written before
    /// the request is sent, and a tick between the two would pass without cancelling anything.
    /// </summary>
    public static async Task WaitForCancelAtIbkrAsync(this ProcessorFixture fixture, Guid orderId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            await using (var db = fixture.Db())
            {
                var brokerOrderId = await db.Orders.AsNoTracking().Where(o => o.OrderId == orderId).Select(o => o.BrokerOrderId).SingleOrDefaultAsync();
                if (brokerOrderId is not null && fixture.Simulator.Control.Requests().Any(r =>
                        r.Method == "DELETE" && r.Status is >= 200 and < 300 && !r.Maintenance
                        && r.Path.EndsWith("/order/" + brokerOrderId, StringComparison.Ordinal)))
                {
                    return;
                }
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"no cancel request for order {orderId} reached IBKR.");
    }

    /// <summary>The names of the order's events as a downstream subscriber received them, in sequence.</summary>
    public static IReadOnlyList<string> EventNames(this ProcessorFixture fixture, Guid orderId) =>
        fixture.Downstream.For(orderId).Select(e => e.Event is OrderStatusChanged c ? $"{nameof(OrderStatusChanged)}:{c.Status}" : e.Event.GetType().Name).ToList();

    /// <summary>Every order the simulator accepted under a cOID of these orders: exactly one per order that reached IBKR.</summary>
    public static async Task AssertLedgerMatchesSagasAsync(this ProcessorFixture fixture, IEnumerable<Guid> orderIds)
    {
        var ids = orderIds.ToList();
        await using var db = fixture.Db();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToListAsync();
        var ledger = fixture.Simulator.Control.Ledger().Where(l => orders.Any(o => o.ClientOrderId == l.COID)).ToList();
        var atIbkr = orders.Where(o => o.BrokerOrderId is not null).ToList();
        Assert.Equal(ledger.Count, ledger.Select(l => l.COID).Distinct().Count());
        Assert.Equal(atIbkr.Select(o => o.ClientOrderId).Order(), ledger.Select(l => l.COID!).Order());
        foreach (var order in atIbkr)
        {
            var entry = ledger.Single(l => l.COID == order.ClientOrderId);
            Assert.Equal(order.BrokerOrderId, entry.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(order.FilledQuantity, entry.FilledQuantity);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Lifecycle;

/// <summary>
/// The store's writes of IBKR's reports against PostgreSQL (no processor, no bus). A report of an order the store has just
/// written is decided on the version it wrote, without reading the order again; the version's xmin is the update's
/// check, so when another writer changed the order in between, the write conflicts, is decided again on a fresh read,
/// and loses nothing of the other write. A report that would change nothing on the kept version is decided on a read.
/// </summary>
public sealed class When_reports_follow_a_write(ITestOutputHelper output) : IAsyncLifetime
{
    private const string User = "alice";
    private readonly StandaloneOrderStores _stores = new();

    public Task InitializeAsync() => _stores.InitializeAsync();

    public Task DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task Should_write_on_the_version_it_wrote_and_read_again_when_another_writer_came_between()
    {
        // Read, then written: the store keeps the version it committed.
        var (order, writer, epoch, conflicts) = await WrittenOnceAsync(filled: 2);

        // Another writer changes the order: the kept version is stale. The next report conflicts on it, is decided again
        // on a read, and the other writer's change stays.
        await using (var db = _stores.Servers.CreateDbContext())
        {
            var row = await db.Orders.SingleAsync(o => o.OrderId == order.OrderId);
            row.TraceParent = "00-written-by-another-writer-01";
            await db.SaveChangesAsync();
        }

        Assert.True((await writer.WriteStreamedAsync(User, epoch, Report(order, filled: 5), CancellationToken.None)).Written);
        var afterConflict = await RowAsync(order.OrderId);
        output.WriteLine($"after the other writer: {afterConflict.Status}, filled {afterConflict.FilledQuantity}, trace {afterConflict.TraceParent}, conflicts {Sum(conflicts)}");
        Assert.Equal(1, Sum(conflicts));
        Assert.Equal(5m, afterConflict.FilledQuantity);
        Assert.Equal("00-written-by-another-writer-01", afterConflict.TraceParent);

        // Nobody in between: written on the kept version, no conflict.
        Assert.True((await writer.WriteStreamedAsync(User, epoch, Report(order, filled: 7), CancellationToken.None)).Written);
        Assert.Equal(1, Sum(conflicts));
        Assert.Equal(7m, (await RowAsync(order.OrderId)).FilledQuantity);

        await using (var db = _stores.Servers.CreateDbContext())
        {
            var fills = await db.Outbox.Where(o => o.OrderId == order.OrderId && o.MessageType == nameof(OrderPartiallyFilled)).OrderBy(o => o.OrderSequence).ToListAsync();
            output.WriteLine($"events: {fills.Count} OrderPartiallyFilled, sequences {string.Join(", ", fills.Select(f => f.OrderSequence))}");
            Assert.Equal(3, fills.Count);
            Assert.Equal(fills.Select(f => f.OrderSequence).Order(), fills.Select(f => f.OrderSequence).Distinct());
        }
    }

    [Fact]
    public async Task Should_decide_a_report_that_changes_nothing_on_the_kept_version_again_on_a_read()
    {
        var (order, writer, epoch, conflicts) = await WrittenOnceAsync(filled: 4);

        // Another writer sets the order aside for an operator behind the kept version's back (as an operator's edit, or
        // another instance, might). The same report again is no news to the kept version: decided on it, nothing would be
        // written or checked, and the order would stay aside although IBKR says it works. Decided on a read, the report
        // settles it back.
        await using (var db = _stores.Servers.CreateDbContext())
        {
            var row = await db.Orders.SingleAsync(o => o.OrderId == order.OrderId);
            row.Status = OrderStatus.NeedsAttention;
            await db.SaveChangesAsync();
        }

        var again = await writer.WriteStreamedAsync(User, epoch, Report(order, filled: 4), CancellationToken.None);
        var row2 = await RowAsync(order.OrderId);
        output.WriteLine($"the same report again: written {again.Written}, applied [{string.Join(", ", again.Applied)}]; the order {row2.Status}, filled {row2.FilledQuantity}, conflicts {Sum(conflicts)}");
        Assert.Empty(conflicts.GetMeasurementSnapshot());
        Assert.Equal([order.ClientOrderId], again.Applied);
        Assert.Equal(OrderStatus.PartiallyFilled, row2.Status);

        // And the next report is written on the version that write kept.
        var news = await writer.WriteStreamedAsync(User, epoch, Report(order, filled: 6), CancellationToken.None);
        var row3 = await RowAsync(order.OrderId);
        output.WriteLine($"a report with news: written {news.Written}, applied [{string.Join(", ", news.Applied)}]; the order {row3.Status}, filled {row3.FilledQuantity}, conflicts {Sum(conflicts)}");
        Assert.Equal(6m, row3.FilledQuantity);
        Assert.Empty(conflicts.GetMeasurementSnapshot());
    }

    /// <summary>
    /// A working order of the user, the user's lease taken by a new store, and a first report of it written (read, then
    /// written: the store keeps the version it committed), with no conflict.
    /// </summary>
    private async Task<(OrderSaga Order, ObservationWriter Writer, long Epoch, MetricCollector<long> Conflicts)> WrittenOnceAsync(decimal filled)
    {
        var order = WorkingOrder();
        await using (var db = _stores.Servers.CreateDbContext())
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
        }

        var settings = new LifecycleOptions();
        var store = _stores.Create(settings, TimeProvider.System);
        var conflicts = new MetricCollector<long>(_stores.Meters, OrderProcessorMetrics.MeterName, "orderprocessor.saga.conflicts");
        var writer = new ObservationWriter(store, Options.Create(settings), TimeProvider.System);
        var (_, held) = await store.UsersToFollowAsync(CancellationToken.None);
        Assert.True((await writer.WriteStreamedAsync(User, held[User], Report(order, filled), CancellationToken.None)).Written);
        Assert.Empty(conflicts.GetMeasurementSnapshot());
        return (order, writer, held[User], conflicts);
    }

    private static long Sum(MetricCollector<long> collector) => collector.GetMeasurementSnapshot().Sum(m => m.Value);

    private async Task<OrderSaga> RowAsync(Guid orderId)
    {
        await using var db = _stores.Servers.CreateDbContext();
        return await db.Orders.AsNoTracking().SingleAsync(o => o.OrderId == orderId);
    }

    private static Dictionary<string, BrokerOrderObservation> Report(OrderSaga order, decimal filled) => new(StringComparer.Ordinal)
    {
        [order.ClientOrderId] = new BrokerOrderObservation(order.ClientOrderId, order.BrokerOrderId!, BrokerOrderState.Submitted, filled,
            order.Quantity - filled, 100m),
    };

    private static OrderSaga WorkingOrder()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var orderId = Guid.NewGuid();
        return new OrderSaga
        {
            OrderId = orderId,
            ClientOrderId = ClientOrderId.For(orderId),
            UserId = User,
            AccountId = "DU1",
            Conid = 265598,
            Side = OrderSide.Buy,
            Quantity = 10,
            OrderType = OrderType.Limit,
            LimitPrice = 100m,
            Status = OrderStatus.Working,
            BrokerOrderId = "1001",
            WorkDue = OrderWork.None,
            CommandFingerprint = "test",
            CorrelationId = Guid.NewGuid(),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
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

        // Another writer changes a column the report writes too, behind the kept version's back: the kept version still
        // has IBKR's status as Submitted, the row now PreSubmitted. The next report (Submitted) leaves that column alone
        // on the kept version; it conflicts on the version's xmin, is decided again on a read, and so writes it.
        Assert.Equal(nameof(BrokerOrderState.Submitted), (await RowAsync(order.OrderId)).BrokerStatus);
        await using (var db = _stores.Servers.CreateDbContext())
        {
            var row = await db.Orders.SingleAsync(o => o.OrderId == order.OrderId);
            row.BrokerStatus = nameof(BrokerOrderState.PreSubmitted);
            await db.SaveChangesAsync();
        }

        Assert.True((await writer.WriteStreamedAsync(User, epoch, Report(order, filled: 5), CancellationToken.None)).Written);
        var afterConflict = await RowAsync(order.OrderId);
        output.WriteLine($"after the other writer: {afterConflict.Status} ({afterConflict.BrokerStatus}), filled {afterConflict.FilledQuantity}, conflicts {Sum(conflicts)}");
        Assert.Equal(1, Sum(conflicts));
        Assert.Equal(5m, afterConflict.FilledQuantity);
        Assert.Equal(nameof(BrokerOrderState.Submitted), afterConflict.BrokerStatus);

        // Nobody in between: written on the kept version, without reading the order, and no conflict.
        var reads = await StatementsDuringAsync(() => writer.WriteStreamedAsync(User, epoch, Report(order, filled: 7), CancellationToken.None));
        output.WriteLine($"statements of the write with nobody in between: {string.Join(" | ", reads.Statements.Select(t => t[..Math.Min(60, t.Length)]))}");
        Assert.True(reads.Result.Written);
        Assert.DoesNotContain(reads.Statements, t => t.StartsWith("SELECT", StringComparison.Ordinal) && t.Contains("FROM orders", StringComparison.Ordinal));
        Assert.Contains(reads.Statements, t => t.Contains("UPDATE orders", StringComparison.Ordinal));
        Assert.Equal(1, Sum(conflicts));
        Assert.Equal(7m, (await RowAsync(order.OrderId)).FilledQuantity);

        await using (var db = _stores.Servers.CreateDbContext())
        {
            // Every event of the order in one unbroken chain: sequences 1, 2, 3, ..., each linked to the previous hash.
            var events = await db.Outbox.Where(o => o.OrderId == order.OrderId).OrderBy(o => o.OrderSequence).ToListAsync();
            output.WriteLine($"events: {string.Join(", ", events.Select(e => $"{e.OrderSequence} {e.MessageType}"))}");
            Assert.Equal(3, events.Count(e => e.MessageType == nameof(OrderPartiallyFilled)));
            Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.OrderSequence));
            Assert.All(events.Skip(1).Zip(events), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
            Assert.Equal(events[^1].Hash, (await RowAsync(order.OrderId)).LastEventHash);
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
    /// A work's write that fails after its transition ran (a dropped connection, say) must leave nothing of that
    /// transition for the work's next write (a cancel's answer after its look-up): the next write decides on the order as
    /// the database has it, and its events follow the last committed one.
    /// </summary>
    [Fact]
    public async Task Should_leave_nothing_of_a_failed_write_for_the_works_next_write()
    {
        // A cancel under way, as when its look-up records what the live orders say and its answer follows.
        var order = WorkingOrder();
        order.Status = OrderStatus.PendingCancel;
        order.CancelRequested = true;
        order.WorkDue = OrderWork.Cancel;
        order.WorkDueAt = DateTimeOffset.UtcNow.AddSeconds(-1);
        await using (var db = _stores.Servers.CreateDbContext())
        {
            db.Orders.Add(order);
            await db.SaveChangesAsync();
        }

        var settings = new LifecycleOptions();
        var store = _stores.Create(settings, TimeProvider.System);
        var claimed = await store.ClaimDueWorkAsync(new ClaimBudget(20, 5, new Dictionary<string, int>(), []), CancellationToken.None);
        output.WriteLine($"claimed: {string.Join(", ", claimed.Select(w => $"{w.Work} of {w.LeaderId}"))}");
        var work = Assert.Single(claimed);
        var lifecycle = settings.ToSettings();
        OrderDecision Fill(IReadOnlyList<OrderSaga> group, decimal filled) => OrderLifecycle.Apply([group[0]],
            new Observed(Report(order, filled)[order.ClientOrderId]), EventStamp.Create(DateTimeOffset.UtcNow, order.CorrelationId, Guid.NewGuid()), lifecycle);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateGroupAsync(work, group =>
        {
            Fill(group, 3);
            throw new InvalidOperationException("the connection dropped after the transition ran");
        }, CancellationToken.None));
        Assert.True(await store.UpdateGroupAsync(work, group => Fill(group, 3), CancellationToken.None));

        var row = await RowAsync(order.OrderId);
        await using var check = _stores.Servers.CreateDbContext();
        var events = await check.Outbox.Where(o => o.OrderId == order.OrderId).OrderBy(o => o.OrderSequence).ToListAsync();
        output.WriteLine($"after a failed write and the next: {row.Status}, filled {row.FilledQuantity}; events {string.Join(", ", events.Select(e => $"{e.OrderSequence} {e.MessageType}"))}");
        Assert.Equal(3m, row.FilledQuantity);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.OrderSequence));
        Assert.Contains(events, e => e.MessageType == nameof(OrderPartiallyFilled));
        Assert.Equal(events[^1].Hash, row.LastEventHash);
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

    /// <summary>
    /// The statements sent to PostgreSQL while <paramref name="write"/> runs, from Npgsql's own trace under a span of this
    /// test's (other tests run in this process at the same time).
    /// </summary>
    private static async Task<(T Result, List<string> Statements)> StatementsDuringAsync<T>(Func<Task<T>> write)
    {
        using var source = new ActivitySource(nameof(When_reports_follow_a_write));
        var statements = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "Npgsql" || s == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && Under(activity, source))
                {
                    statements.Enqueue($"{activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")}");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        T result;
        using (source.StartActivity("write"))
        {
            result = await write();
        }

        return (result, [.. statements]);

        static bool Under(Activity activity, ActivitySource source)
        {
            for (var parent = activity.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent.Source == source)
                {
                    return true;
                }
            }

            return false;
        }
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

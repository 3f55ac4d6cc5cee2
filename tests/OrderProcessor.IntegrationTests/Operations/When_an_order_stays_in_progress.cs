using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Operations;

/// <summary>
/// The gauge the stuck-orders alert reads (<c>orderprocessor_orders_in_progress_oldest_seconds{state}</c>), read from
/// PostgreSQL: per state the processor moves on by itself, how long its least recently changed order has had no event,
/// however often the processor claims it again (a claim sets UpdatedAt; it is not a change anyone can see).
/// </summary>
public sealed class When_an_order_stays_in_progress(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    [Fact]
    public async Task Should_report_per_state_how_long_the_oldest_has_had_no_event_however_recently_it_was_claimed()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var claimed = now.AddSeconds(-1);
        await using (var db = _servers.CreateDbContext())
        {
            // Every in-progress order was claimed a second ago (a submit retrying, a reconciliation every 5 s): the
            // claim sets UpdatedAt, yet the order has not visibly moved since its last event.
            var retrying = Order(OrderStatus.Submitting, created: now.AddMinutes(-12), claimed);
            var recent = Order(OrderStatus.Submitting, created: now.AddMinutes(-3), claimed);
            db.Orders.AddRange(
                retrying,
                recent,
                Order(OrderStatus.Received, created: now.AddSeconds(-2), claimed),
                Order(OrderStatus.Working, created: now.AddHours(-5), now.AddHours(-5)),
                Order(OrderStatus.Filled, created: now.AddDays(-1), now.AddDays(-1)));
            db.Outbox.AddRange(
                Event(retrying, 1, now.AddMinutes(-12)),
                Event(retrying, 2, now.AddMinutes(-10)),
                Event(recent, 1, now.AddMinutes(-3)),
                Event(recent, 2, now.AddMinutes(-1)));
            await db.SaveChangesAsync();
        }

        var gauges = new DatabaseGauges(_servers.DbContextFactory, new FixedClock(now));
        var ages = gauges.OldestInProgress().ToDictionary(m => (string)m.Tags[0].Value!, m => m.Value);
        output.WriteLine("every in-progress order claimed 1 s ago; " + string.Join(", ", ages.Select(a => $"{a.Key} {a.Value} s")));

        Assert.Equal(600, ages[nameof(OrderStatus.Submitting)], precision: 3);
        Assert.Equal(2, ages[nameof(OrderStatus.Received)], precision: 3);
        Assert.Equal(0, ages[nameof(OrderStatus.PendingCancel)]);
        Assert.Equal(DatabaseGauges.InProgressStates.Select(s => s.ToString()).Order(), ages.Keys.Order());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static OrderSaga Order(OrderStatus status, DateTimeOffset created, DateTimeOffset updatedAt) => new()
    {
        OrderId = Guid.NewGuid(),
        ClientOrderId = Guid.NewGuid().ToString("N"),
        UserId = "alice",
        Status = status,
        CommandFingerprint = "test",
        CreatedAt = created,
        UpdatedAt = updatedAt,
    };

    private static OutboxMessage Event(OrderSaga order, long orderSequence, DateTimeOffset at)
    {
        order.LastEventSequence = orderSequence;
        return new OutboxMessage
        {
            MessageId = Guid.NewGuid(),
            OrderId = order.OrderId,
            OrderSequence = orderSequence,
            MessageType = "OrderAccepted",
            Body = "{}",
            CreatedAt = at,
            PublishedAt = at,
            Hash = new string('0', 64),
        };
    }
}

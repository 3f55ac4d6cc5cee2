using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Operations;

/// <summary>
/// The gauge the stuck-orders alert reads (<c>orderprocessor_orders_in_progress_oldest_seconds{state}</c>), read from
/// PostgreSQL: per state the processor moves on by itself, how long its least recently changed order has not changed.
/// </summary>
public sealed class When_an_order_stays_in_progress(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly IsolatedServers _servers = new();

    public Task InitializeAsync() => _servers.InitializeAsync();

    public Task DisposeAsync() => _servers.DisposeAsync();

    [Fact]
    public async Task Should_report_per_state_how_long_the_oldest_has_not_changed_and_leave_orders_waiting_for_the_market_out()
    {
        var now = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        await using (var db = _servers.CreateDbContext())
        {
            db.Orders.AddRange(
                Order(OrderStatus.Submitting, now.AddMinutes(-10)),
                Order(OrderStatus.Submitting, now.AddMinutes(-1)),
                Order(OrderStatus.Received, now.AddSeconds(-2)),
                Order(OrderStatus.Working, now.AddHours(-5)),
                Order(OrderStatus.Filled, now.AddDays(-1)));
            await db.SaveChangesAsync();
        }

        var gauges = new DatabaseGauges(_servers.DbContextFactory, new FixedClock(now));
        var ages = gauges.OldestInProgress().ToDictionary(m => (string)m.Tags[0].Value!, m => m.Value);
        output.WriteLine(string.Join(", ", ages.Select(a => $"{a.Key} {a.Value} s")));

        Assert.Equal(600, ages[nameof(OrderStatus.Submitting)], precision: 3);
        Assert.Equal(2, ages[nameof(OrderStatus.Received)], precision: 3);
        Assert.Equal(0, ages[nameof(OrderStatus.PendingCancel)]);
        Assert.Equal(DatabaseGauges.InProgressStates.Select(s => s.ToString()).Order(), ages.Keys.Order());
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static OrderSaga Order(OrderStatus status, DateTimeOffset updatedAt) => new()
    {
        OrderId = Guid.NewGuid(),
        ClientOrderId = Guid.NewGuid().ToString("N"),
        UserId = "alice",
        Status = status,
        CommandFingerprint = "test",
        CreatedAt = updatedAt,
        UpdatedAt = updatedAt,
    };
}

using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// RabbitMQ refuses one event type's exchange (the processor's user may not write to it). MassTransit reports that as a
/// publish that never completes (a timeout), so the row is parked after Outbox:ParkAfterAttempts failures while other
/// events flow; nothing else is parked, and after the permission is fixed and the rows retried every event arrives.
/// </summary>
public sealed class When_the_broker_refuses_an_events_exchange(When_the_broker_refuses_an_events_exchange.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_the_broker_refuses_an_events_exchange.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Outbox:ParkAfterAttempts"] = "3",
            ["Outbox:PublishTimeout"] = "00:00:01",
            ["Outbox:MaxBackoff"] = "00:00:00.500",
        };

        /// <summary>
        /// The flow below places a resting buy every 100 ms until a row is parked (dozens of working orders of one account
        /// and contract); IBKR would refuse the 21st, which is not what this test is about: the simulator's limit is off.
        /// </summary>
        protected override Dictionary<string, string?> SimulatorSettings => new() { ["Simulator:MaxWorkingOrdersPerContractSide"] = "0" };
    }

    [Fact]
    public async Task Should_park_the_refused_row_after_its_attempts_while_the_rest_flows_and_publish_it_after_the_fix()
    {
        // Events confirmed (the broker takes them), none of them an OrderFilled yet: RabbitMQ caches a channel's
        // permission checks, so the refusal below applies to an exchange this channel has not written to.
        var working = TestOrders.Limit(limitPrice: 1m);
        await fixture.Downstream.Publisher.Publish(working);
        await fixture.Downstream.WaitForAsync(working.OrderId, events => events.Any(e => e.Event is OrderSubmitted), TimeSpan.FromSeconds(30));

        await fixture.Servers.SetWritePermissionAsync("^(?!OrderProcessor\\.Contracts:OrderFilled$).*");
        try
        {
            var refused = TestOrders.Market();
            await fixture.Downstream.Publisher.Publish(refused);
            await fixture.WaitForStatusAsync(refused.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));

            // Other orders keep coming meanwhile, and their events keep leaving: the failures are the row's, not the broker's.
            using var stop = new CancellationTokenSource();
            var flowing = Task.Run(async () =>
            {
                var placed = new List<Guid>();
                while (!stop.IsCancellationRequested)
                {
                    var order = TestOrders.Limit(limitPrice: 1m);
                    await fixture.Downstream.Publisher.Publish(order);
                    placed.Add(order.OrderId);
                    await Task.Delay(100);
                }

                return placed;
            });
            var parked = await WaitForParkedAsync(refused.OrderId);
            await stop.CancelAsync();
            var placed = await flowing;
            output.WriteLine($"parked: row {parked.Sequence} ({parked.MessageType}) after {parked.Attempts} attempt(s): {parked.ParkReason}");
            Assert.Equal(nameof(OrderFilled), parked.MessageType);
            Assert.StartsWith("TooManyAttempts: 3 publishes failed while other events were published", parked.ParkReason, StringComparison.Ordinal);
            foreach (var orderId in placed)
            {
                await fixture.Downstream.WaitForAsync(orderId, events => events.Any(e => e.Event is OrderAccepted), TimeSpan.FromSeconds(20));
            }

            output.WriteLine($"meanwhile {placed.Count} other orders were placed and their OrderAccepted arrived");

            await using (var db = fixture.Db())
            {
                var others = await db.Outbox.AsNoTracking().Where(o => o.ParkedAt != null && o.MessageType != nameof(OrderFilled)).Select(o => o.Sequence + " " + o.MessageType).ToListAsync();
                Assert.True(others.Count == 0, "rows of other exchanges parked: " + string.Join(", ", others));
            }

            // The rest flows: a new order's first events arrive.
            var next = TestOrders.Limit(limitPrice: 1m);
            var stopwatch = Stopwatch.StartNew();
            await fixture.Downstream.Publisher.Publish(next);
            await fixture.Downstream.WaitForAsync(next.OrderId, events => events.Any(e => e.Event is OrderSubmitted), TimeSpan.FromSeconds(20));
            output.WriteLine($"with OrderFilled refused, another order's events through OrderSubmitted arrived in {stopwatch.ElapsedMilliseconds} ms");
            Assert.DoesNotContain(fixture.Downstream.For(refused.OrderId), e => e.Event is OrderFilled);
        }
        finally
        {
            await fixture.Servers.SetWritePermissionAsync(".*");
        }

        await using (var db = fixture.Db())
        {
            Assert.True(await ParkedOutboxRows.RetryAsync(db, sequence: null, orderId: null, default) >= 1);
        }

        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(30));
        await using (var db = fixture.Db())
        {
            var filled = await db.Outbox.AsNoTracking().Where(o => o.MessageType == nameof(OrderFilled)).Select(o => o.OrderId).ToListAsync();
            foreach (var orderId in filled)
            {
                await fixture.Downstream.WaitForAsync(orderId, events => events.Any(e => e.Event is OrderFilled), TimeSpan.FromSeconds(15));
            }

            output.WriteLine($"after the fix and a retry: {filled.Count} OrderFilled event(s) arrived, nothing parked");
            Assert.Equal(0, await db.Outbox.CountAsync(o => o.ParkedAt != null));
        }
    }

    private async Task<OutboxMessage> WaitForParkedAsync(Guid orderId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = fixture.Db();
            var rows = await db.Outbox.AsNoTracking().Where(o => o.OrderId == orderId && o.PublishedAt == null).OrderBy(o => o.Sequence).ToListAsync();
            if (rows.FirstOrDefault(r => r.ParkedAt is not null) is { } parked)
            {
                return parked;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("no row parked; unpublished: " + string.Join("; ", rows.Select(r => $"{r.Sequence} {r.MessageType} attempts {r.Attempts} error {r.LastError}")));
            }

            await Task.Delay(100);
        }
    }
}

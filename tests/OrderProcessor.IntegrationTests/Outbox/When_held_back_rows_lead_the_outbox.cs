using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Persistence;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// Rows held back by an earlier unpublished row of their order (one in backoff) must not take the relay's batch slots:
/// with more of them than a batch holds at the head of the outbox, the next order's events still leave at once.
/// </summary>
public sealed class When_held_back_rows_lead_the_outbox(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    private const int HeldOrders = 201;

    private async Task<TimeSpan> AcceptedLatencyAsync()
    {
        var order = TestOrders.Market();
        var stopwatch = Stopwatch.StartNew();
        await fixture.Downstream.Publisher.Publish(order);
        await fixture.Downstream.WaitForAsync(order.OrderId, events => events.Any(e => e.Event is OrderAccepted), TimeSpan.FromSeconds(15));
        return stopwatch.Elapsed;
    }

    [Fact]
    public async Task Should_publish_the_next_orders_event_promptly_and_the_held_rows_in_order_once_released()
    {
        await AcceptedLatencyAsync(); // warm-up: the first order pays for the exchanges and the JIT
        var baseline = await AcceptedLatencyAsync();

        // 201 orders whose first event waits for its backoff (an hour) and whose second event is due but held behind it.
        var createdAt = ChainedOutboxRows.Now();
        var firsts = Enumerable.Range(0, HeldOrders).Select(_ => ChainedOutboxRows.Accepted(Guid.CreateVersion7(), createdAt)).ToList();
        foreach (var first in firsts)
        {
            (first.Attempts, first.LastError, first.NextAttemptAt) = (3, "publish timed out (test)", createdAt.AddHours(1));
        }

        var seconds = firsts.Select(f => ChainedOutboxRows.Submitted(f, createdAt)).ToList();
        await using (var db = fixture.Db())
        {
            db.Outbox.AddRange(firsts);
            await db.SaveChangesAsync();
            db.Outbox.AddRange(seconds);
            await db.SaveChangesAsync();
        }

        var latency = await AcceptedLatencyAsync();
        output.WriteLine($"{HeldOrders} held-back rows ahead of it: order {HeldOrders + 1}'s OrderAccepted reached the subscriber {latency.TotalMilliseconds:F0} ms " +
            $"after its PlaceOrder (with nothing held back: {baseline.TotalMilliseconds:F0} ms)");
        Assert.True(latency < baseline + TimeSpan.FromSeconds(2), $"the event took {latency.TotalMilliseconds:F0} ms, {baseline.TotalMilliseconds:F0} ms with nothing held back");

        var heldIds = firsts.Select(f => f.OrderId).ToHashSet();
        await using (var db = fixture.Db())
        {
            Assert.Equal(0, await db.Outbox.CountAsync(o => heldIds.Contains(o.OrderId) && o.PublishedAt != null));
        }

        Assert.DoesNotContain(fixture.Downstream.Received, e => heldIds.Contains(e.Event.OrderId));

        // Released, every held order's events leave, each order's in sequence.
        var released = Stopwatch.StartNew();
        await using (var db = fixture.Db())
        {
            await db.Outbox.Where(o => heldIds.Contains(o.OrderId) && o.NextAttemptAt != null).ExecuteUpdateAsync(set => set.SetProperty(o => o.NextAttemptAt, (DateTimeOffset?)null));
        }

        List<OutboxMessage> rows = [];
        while (released.Elapsed < TimeSpan.FromSeconds(30))
        {
            await using var db = fixture.Db();
            rows = await db.Outbox.AsNoTracking().Where(o => heldIds.Contains(o.OrderId)).ToListAsync();
            if (rows.All(r => r.PublishedAt is not null))
            {
                break;
            }

            await Task.Delay(100);
        }

        output.WriteLine($"released: {rows.Count(r => r.PublishedAt is not null)} of {rows.Count} held rows published in {released.ElapsedMilliseconds} ms");
        Assert.All(rows, r => Assert.NotNull(r.PublishedAt));
        Assert.All(rows.GroupBy(r => r.OrderId), g =>
            Assert.True(g.Single(r => r.OrderSequence == 1).PublishedAt < g.Single(r => r.OrderSequence == 2).PublishedAt, $"order {g.Key}: event 2 left before event 1"));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (fixture.Downstream.Received.Count(e => heldIds.Contains(e.Event.OrderId)) < 2 * HeldOrders && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(2 * HeldOrders, fixture.Downstream.Received.Count(e => heldIds.Contains(e.Event.OrderId)));
    }
}

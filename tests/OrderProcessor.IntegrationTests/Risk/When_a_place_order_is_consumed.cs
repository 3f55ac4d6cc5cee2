using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Risk;

/// <summary>
/// The round trips to PostgreSQL of one PlaceOrder's unit of work, counted from Npgsql's own trace (a batch is one) under
/// the consumer's MassTransit span, with the shipped pre-trade controls on (halts, limits, working counts, rate buckets).
/// </summary>
public sealed class When_a_place_order_is_consumed(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_send_its_locks_inbox_check_and_every_read_in_one_round_trip()
    {
        var underConsume = new ConcurrentDictionary<string, ConcurrentQueue<string>>(StringComparer.Ordinal);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "MassTransit",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                // A physical connection the pool opens meanwhile (CONNECT) is not a round trip of the order's.
                if (activity.Source.Name == "Npgsql" && !activity.DisplayName.StartsWith("CONNECT", StringComparison.Ordinal) && PlaceOrderSpans.MessageIdOf(activity) is { } consume)
                {
                    underConsume.GetOrAdd(consume, _ => new()).Enqueue(activity.DisplayName + ": " + (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var orders = Enumerable.Range(0, 5).Select(i => TestOrders.Limit("alice", quantity: 1, limitPrice: 1m + i) with { Conid = 4190 }).ToList();
        // Other test classes run their own processors in this process at the same time: only these messages are counted.
        var messageIds = orders.ToDictionary(o => NewId.NextGuid().ToString(), o => o.OrderId);
        foreach (var (messageId, orderId) in messageIds)
        {
            await fixture.Downstream.Publisher.Publish(orders.Single(o => o.OrderId == orderId), context => context.MessageId = Guid.Parse(messageId));
            await fixture.Downstream.WaitForAsync(orderId, e => e.Any(x => x.Event is OrderAccepted));
        }

        foreach (var order in orders)
        {
            await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = order.OrderId, UserId = "alice", Reason = "test" });
        }

        await WaitForCancelsAsync(orders);
        // The upstream grants are read again now and then (a cache with a refresh interval): not a cost of each order.
        var counts = underConsume.Where(c => messageIds.ContainsKey(c.Key)).Select(c => c.Value).Select(q => q.Count(t => !t.Contains("FROM upstream_grants", StringComparison.Ordinal))).ToList();
        output.WriteLine($"round trips per PlaceOrder unit of work (commit not traced): {string.Join(", ", counts)}");
        foreach (var statements in underConsume.Where(c => messageIds.ContainsKey(c.Key)).Select(c => c.Value).Where(q => q.Count > 3))
        {
            output.WriteLine(string.Join(Environment.NewLine + "    ", statements.Select(t => t[..Math.Min(t.Length, 200)])));
        }

        // The locks, the inbox check, whether the ids are known, the halts, the limits and the working counts (one batch);
        // the order, its inbox row, its event and the rate buckets' spend (EF's one command, the spend at its end). Six
        // before the reads joined the first batch, three before the spend joined the save.
        Assert.Equal(orders.Count, counts.Count);
        Assert.All(counts, c => Assert.Equal(2, c));
        Assert.All(underConsume.Where(c => messageIds.ContainsKey(c.Key)).Select(c => c.Value),
            statements => Assert.Contains(statements, t => t.Contains("INSERT INTO orders", StringComparison.Ordinal) && t.Contains("CALL spend_rate_tokens", StringComparison.Ordinal)));
    }

    private async Task WaitForCancelsAsync(List<PlaceOrder> orders)
    {
        foreach (var order in orders)
        {
            await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderCancelled));
        }
    }
}

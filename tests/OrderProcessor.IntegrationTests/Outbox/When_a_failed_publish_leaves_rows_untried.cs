using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// Rows that failed before are published one at a time, and the first that fails again ends the round: the rows after
/// it are left untried. They are still due, so the relay looks again at once instead of waiting for the next wake-up
/// (here the poll a minute later). Two retried rows in one batch: an <see cref="OrderFilled"/> whose exchange RabbitMQ
/// refuses, then another order's <see cref="OrderAccepted"/>, which must leave within seconds.
/// </summary>
public sealed class When_a_failed_publish_leaves_rows_untried(When_a_failed_publish_leaves_rows_untried.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_failed_publish_leaves_rows_untried.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Outbox:PollInterval"] = "00:01:00",
            ["Outbox:PublishTimeout"] = "00:00:01",
        };
    }

    [Fact]
    public async Task Should_publish_the_rows_after_the_failed_one_at_once()
    {
        // The relay's channel has published (the broker takes events) but never to OrderFilled's exchange: RabbitMQ caches
        // a channel's permission checks, so the refusal below applies to it. A row written here, not an order: an order
        // would go on writing events (and waking the relay) while the test needs it woken once.
        var warmUp = ChainedOutboxRows.Accepted(Guid.CreateVersion7(), ChainedOutboxRows.Now());
        await using (var db = fixture.Db())
        {
            db.Outbox.Add(warmUp);
            await db.SaveChangesAsync();
        }

        var signal = fixture.Processor.Services.GetRequiredService<OutboxSignal>();
        signal.Notify();
        await fixture.Downstream.WaitForAsync(warmUp.OrderId, events => events.Any(e => e.Event is OrderAccepted), TimeSpan.FromSeconds(30));
        await fixture.WaitForOutboxPublishedAsync();

        await fixture.Servers.SetWritePermissionAsync("^(?!OrderProcessor\\.Contracts:OrderFilled$).*");
        try
        {
            // Written behind the processor's back, as rows an earlier failure left (one attempt each), the refused one first.
            var createdAt = ChainedOutboxRows.Now();
            var refusedOrder = Guid.CreateVersion7();
            var refused = ChainedOutboxRows.Row(refusedOrder, 1, null, nameof(OrderFilled), JsonSerializer.Serialize(new OrderFilled
            {
                OrderId = refusedOrder,
                Sequence = 1,
                OccurredAt = createdAt,
                FilledQuantity = 1,
                AveragePrice = 10m,
            }, ContractJson.Options), createdAt);
            var after = ChainedOutboxRows.Accepted(Guid.CreateVersion7(), createdAt);
            // Both in one commit, so that whatever wakes the relay finds both or neither.
            await using (var db = fixture.Db())
            {
                foreach (var row in new[] { refused, after })
                {
                    row.Attempts = 1;
                    row.LastError = "an earlier publish failed";
                    db.Outbox.Add(row);
                }

                await db.SaveChangesAsync();
            }

            Assert.True(refused.Sequence < after.Sequence, "the refused row must come first in the batch");

            // One wake-up, as the processor's own commits give.
            var woken = DateTime.UtcNow;
            signal.Notify();

            var rows = await ChainedOutboxRows.ReadUntilAsync(fixture, [refused.OrderId, after.OrderId],
                rows => rows.Single(r => r.OrderId == after.OrderId).PublishedAt is not null, TimeSpan.FromSeconds(10));
            var refusedRow = rows.Single(r => r.OrderId == refused.OrderId);
            var afterRow = rows.Single(r => r.OrderId == after.OrderId);

            output.WriteLine($"refused row: attempts {refusedRow.Attempts}, next attempt {refusedRow.NextAttemptAt:HH:mm:ss.fff}, error {refusedRow.LastError}");
            output.WriteLine($"the row after it: attempts {afterRow.Attempts}, published {(afterRow.PublishedAt is { } at ? $"{(at.UtcDateTime - woken).TotalMilliseconds:F0} ms after the wake-up" : "not within 10 s")}");
            Assert.True(refusedRow.Attempts >= 2, "the refused row was not tried");
            Assert.Null(refusedRow.PublishedAt);
            Assert.NotNull(afterRow.PublishedAt);
            await fixture.Downstream.WaitForAsync(after.OrderId, events => events.Any(e => e.Event is OrderAccepted), TimeSpan.FromSeconds(10));
        }
        finally
        {
            await fixture.Servers.SetWritePermissionAsync(".*");
        }
    }
}

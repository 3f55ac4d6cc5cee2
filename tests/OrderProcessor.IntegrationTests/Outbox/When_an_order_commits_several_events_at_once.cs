using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Outbox;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Outbox;

/// <summary>
/// The relay takes one row per order in a batch and looks again at once only when rows are known to wait (a full
/// batch, or an order whose next event was held back). An order that committed three events in one transaction sends
/// one wake-up: all three must leave in order on it, not one per poll interval (here a minute).
/// </summary>
public sealed class When_an_order_commits_several_events_at_once(When_an_order_commits_several_events_at_once.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_an_order_commits_several_events_at_once.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Outbox:PollInterval"] = "00:01:00" };
    }

    [Fact]
    public async Task Should_publish_them_all_in_order_on_one_wake_up()
    {
        var createdAt = ChainedOutboxRows.Now();
        var first = ChainedOutboxRows.Accepted(Guid.CreateVersion7(), createdAt);
        var second = ChainedOutboxRows.Submitted(first, createdAt);
        var third = ChainedOutboxRows.Submitted(second, createdAt);
        await using (var db = fixture.Db())
        {
            db.Outbox.AddRange(first, second, third);
            await db.SaveChangesAsync();
        }

        // Written behind the processor's back, so woken as its own commits wake it: once.
        fixture.Processor.Services.GetRequiredService<OutboxSignal>().Notify();

        var started = DateTime.UtcNow;
        var rows = await ChainedOutboxRows.ReadUntilAsync(fixture, [first.OrderId], rows => rows.All(r => r.PublishedAt is not null), TimeSpan.FromSeconds(10));

        output.WriteLine($"published {rows.Count(r => r.PublishedAt is not null)} of 3 in {(DateTime.UtcNow - started).TotalMilliseconds:F0} ms");
        Assert.All(rows, r => Assert.NotNull(r.PublishedAt));
        Assert.True(rows[0].PublishedAt < rows[1].PublishedAt && rows[1].PublishedAt < rows[2].PublishedAt, "the order's events left out of order");

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (fixture.Downstream.Received.Count(e => e.Event.OrderId == first.OrderId) < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal([1L, 2L, 3L], fixture.Downstream.Received.Where(e => e.Event.OrderId == first.OrderId).Select(e => e.Event.Sequence));
    }
}

using System.Diagnostics;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Lifecycle;

/// <summary>
/// A user at its share of the worker (<c>Lifecycle:MaxConcurrentWorkPerUser</c>, here 1) gets its next due order when
/// its running work ends. A send's answer does not wake the worker (most results leave nothing to claim), so the end of
/// the work must: with the worker's own look only every 30 s here, three orders of one user still go out one after the
/// other at once.
/// </summary>
public sealed class When_a_user_is_at_its_share_of_the_worker(When_a_user_is_at_its_share_of_the_worker.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_user_is_at_its_share_of_the_worker.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Lifecycle:MaxConcurrentWorkPerUser"] = "1",
            ["Lifecycle:WorkPollInterval"] = "00:00:30",
        };
    }

    [Fact]
    public async Task Should_claim_its_next_order_as_soon_as_its_work_ends()
    {
        var orders = Enumerable.Range(0, 3).Select(_ => TestOrders.Market()).ToList();
        var watch = Stopwatch.StartNew();
        foreach (var order in orders)
        {
            await fixture.Downstream.Publisher.Publish(order);
        }

        foreach (var order in orders)
        {
            await fixture.Downstream.WaitForAsync(order.OrderId, events => events.Any(e => e.Event is OrderSubmitted), TimeSpan.FromSeconds(15));
        }

        output.WriteLine($"3 orders of one user with a share of 1 submitted in {watch.ElapsedMilliseconds} ms");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.ElapsedMilliseconds} ms: the worker waited for its next look");
    }
}

using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Streaming;

/// <summary>
/// With a user's socket streaming, the REST reads of its live orders drop to the safety interval (5 s here; 60 s by
/// default) from the polling interval (250 ms here, 5 s by default): the same ratio as ≤ 1 read per user per minute
/// against 12.
/// </summary>
public sealed class When_the_websocket_is_healthy_polls_slow_down(StreamingFixture fixture, ITestOutputHelper output) : IClassFixture<StreamingFixture>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_read_live_orders_only_at_the_safety_interval()
    {
        var users = new[] { "alice", "bob" };
        var conid = 7501;
        foreach (var user in users)
        {
            await fixture.PlaceRestingAsync(user, conid++, quantity: 1);
        }

        // The reconcile read after subscribing, then steady state.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var since = DateTimeOffset.UtcNow;
        await Task.Delay(Window);
        var reads = users.ToDictionary(u => u, u => fixture.LiveOrderReads(u, since));
        var polling = Window / TimeSpan.FromMilliseconds(250);
        output.WriteLine($"live-order reads over {Window.TotalSeconds:F0} s with the socket streaming: {string.Join(", ", reads.Select(r => $"{r.Key} {r.Value}"))} " +
            $"(safety interval {StreamingFixture.SafetyPollInterval.TotalSeconds:F0} s → ≤ 3; polling would be ~{polling:F0}); states {string.Join(", ", users.Select(u => fixture.StateOf(u)))}");

        Assert.All(users, u => Assert.InRange(reads[u], 0, 3));
    }
}

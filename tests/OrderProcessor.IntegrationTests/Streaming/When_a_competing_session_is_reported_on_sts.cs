using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Engine;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Streaming;

/// <summary>
/// Another platform takes the user's session: the simulator says so on the socket (<c>sts</c> competing, then close)
/// before any REST call fails. The guard handles it like the same signal on a REST answer: with
/// <c>Brokerage:Ibkr:Compete</c> on (this fixture) the session is taken back with <c>ssodh/init</c>, the socket is
/// reopened, and a fill made meanwhile is reported once.
/// </summary>
public sealed class When_a_competing_session_is_reported_on_sts(StreamingFixture fixture, ITestOutputHelper output) : IClassFixture<StreamingFixture>
{
    [Fact]
    public async Task Should_take_the_session_back_and_miss_nothing()
    {
        var command = await fixture.PlaceRestingAsync("carol", 7401, quantity: 10);
        var since = DateTimeOffset.UtcNow;
        var stsBefore = fixture.Simulator.Control.Stream().FramesByTopic.GetValueOrDefault("sts");

        fixture.Simulator.Control.Compete("carol");
        var state = await fixture.WaitNotStreamingAsync("carol", TimeSpan.FromSeconds(5));
        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(StreamingFixture.KeyOf(command), null, 99m));
        await fixture.WaitStreamingAsync("carol", TimeSpan.FromSeconds(20));
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        await Task.Delay(500);

        var inits = fixture.Simulator.Control.Requests().Count(r => r.UserId == "carol" && r.At >= since && r.Path.EndsWith("/iserver/auth/ssodh/init", StringComparison.Ordinal));
        var sts = fixture.Simulator.Control.Stream().FramesByTopic.GetValueOrDefault("sts") - stsBefore;
        output.WriteLine($"after sts competing: {state}; {inits} ssodh/init, {sts} sts frames since; events {fixture.Describe(command.OrderId)}");

        Assert.True(inits >= 1, "the session was not taken back");
        Assert.Equal([10m], fixture.FillEvents(command.OrderId));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Engine;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Streaming;

/// <summary>
/// Every new <c>str</c> subscription replays the day's executions (IBKR does so after each reconnect): executions are
/// known by their id, so a replayed one never adds to what the order has filled.
/// </summary>
public sealed class When_str_replays_after_a_reconnect(StreamingFixture fixture, ITestOutputHelper output) : IClassFixture<StreamingFixture>
{
    [Fact]
    public async Task Should_count_no_replayed_execution_twice()
    {
        var command = await fixture.PlaceRestingAsync("erin", 7301, quantity: 30);
        var key = StreamingFixture.KeyOf(command);
        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(key, 10m, 99m));
        await fixture.Downstream.WaitForAsync(command.OrderId, _ => fixture.FillEvents(command.OrderId).Contains(10m));
        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(key, 5m, 99m));
        await fixture.Downstream.WaitForAsync(command.OrderId, _ => fixture.FillEvents(command.OrderId).Contains(15m));

        var replays = 0;
        for (var i = 0; i < 3; i++)
        {
            var strFrames = fixture.Simulator.Control.Stream().FramesByTopic.GetValueOrDefault("str");
            Assert.True(fixture.Simulator.Control.DropStream("erin") > 0);
            await Task.Delay(300);
            await fixture.WaitStreamingAsync("erin");
            // The replay follows the subscription: give it a moment to go out.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
            while (fixture.Simulator.Control.Stream().FramesByTopic.GetValueOrDefault("str") <= strFrames && DateTime.UtcNow < until)
            {
                await Task.Delay(20);
            }

            replays += fixture.Simulator.Control.Stream().FramesByTopic.GetValueOrDefault("str") > strFrames ? 1 : 0;
        }

        // Let the replays and the reconcile reads after each reconnect land before the last fill.
        await Task.Delay(1000);
        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(key, null, 99m));
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        await Task.Delay(500);
        var fills = fixture.FillEvents(command.OrderId);
        output.WriteLine($"{replays} of 3 reconnects replayed executions on str; fill events {string.Join(", ", fills)}; events {string.Join(", ", fixture.EventNames(command.OrderId))}");

        Assert.Equal(3, replays);
        Assert.Equal([10m, 15m, 30m], fills);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

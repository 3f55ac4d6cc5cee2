using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Streaming;

/// <summary>
/// With the user's socket streaming, IBKR's executions and status changes reach the saga as they happen, not at the next
/// read (which, with a healthy socket, is only every 5 s here): each fill is reported once, within a fraction of that.
/// </summary>
public sealed class When_fills_arrive_over_the_socket(StreamingFixture fixture, ITestOutputHelper output) : IClassFixture<StreamingFixture>
{
    private static readonly TimeSpan MaxLatency = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task Should_report_partial_fills_and_the_fill_once_each_as_they_happen()
    {
        var meters = fixture.Processor.Services.GetRequiredService<IMeterFactory>();
        using var observations = new MetricCollector<long>(meters, OrderProcessorMetrics.MeterName, "orderprocessor.stream.observations");
        var command = await fixture.PlaceRestingAsync("alice", 7101, quantity: 250);
        var key = StreamingFixture.KeyOf(command);
        var since = DateTimeOffset.UtcNow;

        var latencies = new List<TimeSpan>();
        foreach (var (slice, expected) in new[] { (100m, 100m), (100m, 200m), (50m, 250m) })
        {
            var watch = Stopwatch.StartNew();
            Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(key, slice, 99m));
            await fixture.Downstream.WaitForAsync(command.OrderId, _ => fixture.FillEvents(command.OrderId).Contains(expected), TimeSpan.FromSeconds(10));
            latencies.Add(watch.Elapsed);
        }

        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await Task.Delay(500);
        var fills = fixture.FillEvents(command.OrderId);
        var reads = fixture.LiveOrderReads("alice", since);
        var applied = observations.GetMeasurementSnapshot().Where(m => Equals(m.Tags["outcome"], "applied")).Sum(m => m.Value);
        output.WriteLine($"fill → event latency: {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:F0} ms"))}; fill events {string.Join(", ", fills)}; " +
            $"{applied} stream observations applied; {reads} live-order reads meanwhile (safety interval {StreamingFixture.SafetyPollInterval.TotalSeconds:F0} s)");

        Assert.Equal([100m, 200m, 250m], fills);
        Assert.Equal(nameof(OrderFilled), fixture.EventNames(command.OrderId)[^1]);
        Assert.All(latencies, l => Assert.True(l < MaxLatency, $"a fill took {l.TotalMilliseconds:F0} ms to be reported (the safety read comes every 5 s)"));
        Assert.True(applied >= 3, $"only {applied} stream observations were applied: the fills came from reads");
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_report_a_market_order_filled_on_the_engines_tick_once()
    {
        fixture.Simulator.Control.PinPrice(7102, 100m);
        await fixture.PlaceRestingAsync("bob", 7103, quantity: 1); // the user streams before the market order goes out
        var command = TestOrders.Market("bob", quantity: 3) with { AccountId = SimulatorUnderTest.Accounts["bob"], Conid = 7102 };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);

        var watch = Stopwatch.StartNew();
        fixture.Simulator.Control.Tick();
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled), TimeSpan.FromSeconds(10));
        var latency = watch.Elapsed;
        await Task.Delay(500);
        output.WriteLine($"tick → OrderFilled {latency.TotalMilliseconds:F0} ms; events {string.Join(", ", fixture.EventNames(command.OrderId))}");

        Assert.Equal([3m], fixture.FillEvents(command.OrderId));
        Assert.True(latency < MaxLatency, $"the fill took {latency.TotalMilliseconds:F0} ms to be reported");
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

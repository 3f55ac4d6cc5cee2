using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.IntegrationTests.Streaming;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// A cash-quantity order's fractional fills reported by IBKR's websocket (<c>str</c> executions, <c>sor</c> status),
/// not by the status reads (only every 5 s with a healthy socket): each part once, adding up to IBKR's filled exactly.
/// </summary>
public sealed class When_cash_quantity_fills_arrive_over_the_socket(When_cash_quantity_fills_arrive_over_the_socket.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_cash_quantity_fills_arrive_over_the_socket.Fixture>
{
    /// <summary>The streaming fixture, with IBKR's cash-quantity notice confirmed as production's default list has it.</summary>
    public sealed class Fixture : StreamingFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new(base.ProcessorSettings) { ["Brokerage:Questions:AllowedIds:6"] = "o10223" };
    }

    [Fact]
    public async Task Should_report_each_fractional_part_once_as_it_happens_adding_up_exactly()
    {
        var meters = fixture.Processor.Services.GetRequiredService<IMeterFactory>();
        using var observations = new MetricCollector<long>(meters, OrderProcessorMetrics.MeterName, "orderprocessor.stream.observations");
        fixture.Simulator.Control.PinPrice(41011, 35m);
        var command = TestOrders.Limit("carol", limitPrice: 30m) with { AccountId = SimulatorUnderTest.Accounts["carol"], Conid = 41011, Quantity = null, CashQuantity = 100m };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);
        await fixture.WaitStreamingAsync("carol");
        var key = StreamingFixture.KeyOf(command);

        var latencies = new List<TimeSpan>();
        // 0.3333 at 30 (9.999), then what the other 90.001 buys at 29.99: 3.0010.
        foreach (var (slice, price, expected) in new[] { ((decimal?)0.3333m, 30m, 0.3333m), (null, 29.99m, 3.3343m) })
        {
            var watch = Stopwatch.StartNew();
            Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(key, slice, price));
            await fixture.Downstream.WaitForAsync(command.OrderId, _ => fixture.FillEvents(command.OrderId).Contains(expected), TimeSpan.FromSeconds(10));
            latencies.Add(watch.Elapsed);
        }

        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await Task.Delay(500);
        var fills = fixture.FillEvents(command.OrderId);
        var applied = observations.GetMeasurementSnapshot().Where(m => Equals(m.Tags["outcome"], "applied")).Sum(m => m.Value);
        var filled = fixture.Downstream.For(command.OrderId).Select(e => e.Event).OfType<OrderFilled>().First();
        output.WriteLine($"fill → event latency: {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:F0} ms"))}; fill events {string.Join(", ", fills)}; " +
            $"OrderFilled avg {filled.AveragePrice} cash {filled.FilledCashAmount}; {applied} stream observations applied; events {fixture.Describe(command.OrderId)}");

        Assert.Equal([0.3333m, 3.3343m], fills);
        Assert.Equal((29.991m, 100.00m), (filled.AveragePrice, filled.FilledCashAmount));
        Assert.Equal(3.3343m, Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == key).FilledQuantity);
        Assert.All(latencies, l => Assert.True(l < TimeSpan.FromSeconds(1.5), $"a fill took {l.TotalMilliseconds:F0} ms to be reported (the safety read comes every 5 s)"));
        Assert.True(applied >= 2, $"only {applied} stream observations were applied: the fills came from reads");
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

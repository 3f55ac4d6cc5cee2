using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Telemetry;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Risk;

/// <summary>
/// <c>orders limits set|list|clear</c> (the CLI, a process of its own) while two processor instances consume PlaceOrders
/// from one queue: every instance reads <c>risk_limits</c> in the transaction of each order it decides, so the new limit
/// applies to the next order on both, and a cleared limit is back to the default at once.
/// </summary>
public sealed class When_limits_change_at_run_time(ProcessorFixture fixture, ITestOutputHelper output) : IClassFixture<ProcessorFixture>
{
    [Fact]
    public async Task Should_honour_a_new_limit_on_both_instances_at_once()
    {
        await using var second = await ProcessorUnderTest.StartAsync(fixture.Servers, fixture.Simulator);
        // Each instance's meter (its IMeterFactory hands back the one the processor's metrics use): other test classes run beside this one.
        var meters = new[] { fixture.Processor, second }.Select(p => p.Services.GetRequiredService<IMeterFactory>().Create(OrderProcessorMetrics.MeterName)).ToList();
        var refusedBy = new ConcurrentDictionary<Meter, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "orderprocessor.commands.refused")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "reason", Value: "MaxQuantityExceeded" } && meters.Contains(instrument.Meter))
                {
                    refusedBy.AddOrUpdate(instrument.Meter, 1, (_, n) => n + 1);
                }
            }
        });
        listener.Start();

        var (setExit, setOutput) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "set", "--account", "DU1234567", "--max-quantity", "5", "--by", "test"]);
        var (listExit, listOutput) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "list", "--account", "DU1234567"]);
        output.WriteLine($"set: exit {setExit}: {setOutput.Trim()}\nlist: exit {listExit}: {listOutput.Trim()}");
        Assert.Equal((0, 0), (setExit, listExit));
        Assert.Contains("max-quantity 5", listOutput, StringComparison.Ordinal);

        var refusedOrders = await PublishAsync(20, quantity: 10);
        var (clearExit, _) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "clear", "--account", "DU1234567"]);
        var (clearAgainExit, _) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "clear", "--account", "DU1234567"]);
        var acceptedOrders = await PublishAsync(20, quantity: 10);
        var (misuseExit, misuseOutput) = await OrdersCliProcess.RunAsync(fixture.Servers, ["limits", "set", "--user", "alice", "--max-quantity", "5"]);

        output.WriteLine($"with max-quantity 5: {refusedOrders.Count(e => e is OrderRejected { ReasonCode: RejectionReasonCode.MaxQuantityExceeded })}/20 refused, "
            + $"by instance: [{string.Join(", ", refusedBy.Values)}]; after clear (exit {clearExit}, again {clearAgainExit}): {acceptedOrders.Count(e => e is OrderAccepted)}/20 accepted; "
            + $"set --user with --max-quantity: exit {misuseExit}: {misuseOutput.Trim()}");
        Assert.All(refusedOrders, e => Assert.Equal(RejectionReasonCode.MaxQuantityExceeded, Assert.IsType<OrderRejected>(e).ReasonCode));
        Assert.Equal(2, refusedBy.Count);
        Assert.All(acceptedOrders, e => Assert.IsType<OrderAccepted>(e));
        Assert.Equal((0, 4, 2), (clearExit, clearAgainExit, misuseExit));
    }

    private async Task<List<IOrderEvent>> PublishAsync(int count, decimal quantity)
    {
        var orders = Enumerable.Range(0, count).Select(_ => TestOrders.Limit("alice", quantity, limitPrice: 1m)).ToList();
        await Task.WhenAll(orders.Select(o => fixture.Downstream.Publisher.Publish(o)));
        var outcomes = new List<IOrderEvent>();
        foreach (var order in orders)
        {
            var events = await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderAccepted or OrderRejected));
            outcomes.Add(events.First(x => x.Event is OrderAccepted or OrderRejected).Event);
        }

        return outcomes;
    }
}

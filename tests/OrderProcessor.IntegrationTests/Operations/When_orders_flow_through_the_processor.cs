using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Telemetry;

namespace OrderProcessor.IntegrationTests.Operations;

public sealed class When_orders_flow_through_the_processor(When_orders_flow_through_the_processor.Fixture fixture)
    : IClassFixture<When_orders_flow_through_the_processor.Fixture>
{
    /// <summary>Spans recorded although no OTLP exporter is configured: the test collects them itself.</summary>
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new() { [TelemetryServiceCollectionExtensions.TracingSetting] = "true" };
    }

    [Fact]
    public async Task Should_count_events_by_type_and_time_ibkr_work_by_outcome()
    {
        var meters = fixture.Processor.Services.GetRequiredService<IMeterFactory>();
        using var events = new MetricCollector<long>(meters, OrderProcessorMetrics.MeterName, "orderprocessor.events.written");
        using var work = new MetricCollector<double>(meters, OrderProcessorMetrics.MeterName, "orderprocessor.ibkr.work.duration");
        using var orders = new MetricCollector<long>(meters, OrderProcessorMetrics.MeterName, "orderprocessor.orders");

        var command = TestOrders.Market() with { Conid = 6001 };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        // The counter is added to once the transaction that wrote the fill has committed, so it can trail the status
        // this test reads by a moment on a loaded machine.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!events.GetMeasurementSnapshot().Any(m => Equals(m.Tags["type"], nameof(OrderFilled))) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains(events.GetMeasurementSnapshot(), m => Equals(m.Tags["type"], nameof(OrderAccepted)));
        Assert.Contains(events.GetMeasurementSnapshot(), m => Equals(m.Tags["type"], nameof(OrderFilled)));
        Assert.Contains(work.GetMeasurementSnapshot(), m => Equals(m.Tags["work"], "Submit") && Equals(m.Tags["outcome"], "completed") && m.Value > 0);
        orders.RecordObservableInstruments();
        Assert.Contains(orders.GetMeasurementSnapshot(), m => Equals(m.Tags["state"], nameof(OrderStatus.Filled)) && m.Value >= 1);
    }

    [Fact]
    public async Task Should_trace_the_ibkr_call_inside_the_trace_of_the_command()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OrderProcessorTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (spans) { spans.Add(activity); } },
        };
        ActivitySource.AddActivityListener(listener);
        using var command = new Activity("upstream place order").SetIdFormat(ActivityIdFormat.W3C);
        command.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        command.Start();
        var order = TestOrders.Market() with { Conid = 6002 };

        await fixture.Downstream.Publisher.Publish(order);
        command.Stop();
        await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled);

        // The relay publishes OrderFilled after the order row says Filled: wait until a subscriber has it.
        await fixture.Downstream.WaitForAsync(order.OrderId, e => e.Any(x => x.Event is OrderFilled));
        await Task.Delay(200);

        Activity[] snapshot;
        lock (spans)
        {
            snapshot = [.. spans];
        }

        var submit = Assert.Single(snapshot, s => s.OperationName == "ibkr submit" && Equals(s.GetTagItem("order.id"), order.OrderId));
        Assert.Equal(command.TraceId, submit.TraceId);
        Assert.Contains(snapshot, s => s.OperationName == "outbox publish OrderFilled" && s.TraceId == command.TraceId);
    }
}

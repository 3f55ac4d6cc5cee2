using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// The socket goes silent (open, no frames) and the order fills meanwhile: its frames are lost. The user stays
/// "streaming" (read only at the safety interval) until the guard's heartbeat timeout; then the gap makes the poller
/// read at once, and the fill is reported within the timeout plus one poll interval of the fill, once.
/// </summary>
public sealed class When_the_socket_stalls_while_an_order_fills(ITestOutputHelper output)
{
    [Fact]
    public void Should_read_after_the_heartbeat_timeout_and_report_the_fill_once()
    {
        using var script = new StreamScript();
        script.Place();
        script.Connect();
        script.Run(new Advance(TimeSpan.FromSeconds(1)));
        script.Answer("live-orders"); // the Subscribed reconcile
        script.Run(new StreamStall(0));
        script.Fill();
        var filledAt = script.World.Clock.Now;
        var queued = script.Socket.Pending.Count;

        script.Run(new Advance(TimeSpan.FromSeconds(10)));
        var beforeTimeout = (script.World.Processes[0].Streams.StateOf("alice"), script.World.Model.Pending.Count(c => c.Kind == "live-orders"));
        script.Run(new Advance(SimOrderStreams.HeartbeatTimeout));
        var afterTimeout = (script.World.Processes[0].Streams.StateOf("alice"), script.World.Model.Pending.Count(c => c.Kind == "live-orders"));
        script.Answer("live-orders");
        var reportedAfter = script.World.Clock.Now - filledAt;
        output.WriteLine($"frames queued while stalled: {queued}; 10 s after the fill: {beforeTimeout}; after the heartbeat timeout: {afterTimeout}; "
            + $"fill reported {reportedAfter.TotalSeconds} s after it happened: {script.Saga.Status}, events [{string.Join(", ", script.Fills)}]");

        Assert.Equal(0, queued);
        Assert.Equal((OrderStreamState.Streaming, 0), beforeTimeout);
        Assert.Equal((OrderStreamState.Reconnecting, 1), afterTimeout);
        Assert.True(reportedAfter <= SimOrderStreams.HeartbeatTimeout + TimeSpan.FromSeconds(10) + ScheduleRunOptions.StatusPollInterval);
        Assert.Equal([(nameof(OrderFilled), 10m)], script.Fills);
        Assert.Empty(script.Violations());
    }

    private static readonly OrderProcessor.Configuration.LifecycleOptions ScheduleRunOptions = LifecycleSimulation.Checks.ScheduleRun.Options();
}

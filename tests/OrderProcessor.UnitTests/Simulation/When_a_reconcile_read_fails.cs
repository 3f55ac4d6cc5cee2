using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.Schedule;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// Seed 19, shrunk: the read that follows a new subscription (it covers what changed between the read before subscribing
/// and the subscription) fails. The user is streaming, so without a retry the next read came only at the 60 s safety
/// interval; it must come again within the poll interval.
/// </summary>
public sealed class When_a_reconcile_read_fails(ITestOutputHelper output)
{
    [Fact]
    public void Should_read_again_within_the_poll_interval_while_streaming()
    {
        using var script = new StreamScript(OrderShape.Limit, TimeInForce.GoodTillCancelled);
        script.Place();
        script.Connect();
        script.Run(new Advance(TimeSpan.FromMilliseconds(200)));
        var reconcile = script.World.Model.Pending.Count(c => c.Kind == "live-orders");
        script.Answer("live-orders", CallMode.NotSent);

        script.Run(new Advance(TimeSpan.FromSeconds(5)));
        var retried = script.World.Model.Pending.Count(c => c.Kind == "live-orders");
        output.WriteLine($"Subscribed reconcile reads started: {reconcile}; after it failed and 5 s passed (state {script.World.Processes[0].Streams.StateOf("alice")}): {retried} read(s) pending");

        Assert.Equal(1, reconcile);
        Assert.Equal(OrderStreamState.Streaming, script.World.Processes[0].Streams.StateOf("alice"));
        Assert.Equal(1, retried);
        Assert.Empty(script.Violations());
    }
}

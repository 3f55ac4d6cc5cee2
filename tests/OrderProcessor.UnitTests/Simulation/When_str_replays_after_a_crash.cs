using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// A processor that took two partial fills over the stream crashes; its successor opens a new socket, whose str replays
/// the day's executions into an intake that remembers nothing: nothing is counted again.
/// </summary>
public sealed class When_str_replays_after_a_crash(ITestOutputHelper output)
{
    [Fact]
    public void Should_count_no_replayed_execution_twice()
    {
        using var script = new StreamScript(OrderShape.Limit, TimeInForce.GoodTillCancelled);
        script.Place();
        script.Connect();
        script.Fill(partly: true);
        script.Fill(partly: true);
        script.DeliverAll();
        var before = (script.Saga.FilledQuantity, Events: script.Fills.Count);

        // The crash: its lease passes, the new incarnation takes the user, follows it and opens a socket.
        script.Run(new Crash(0), new Advance(TimeSpan.FromSeconds(31)));
        script.Run(new Poll(0));
        script.Answer("live-orders");
        script.Run(new StreamConnect(0, 0));
        script.Answer("live-orders");
        var replayed = script.Socket.Pending.Count(f => f.Topic == "str");
        script.DeliverAll();
        var intake = script.World.Processes[0].Intake!;
        output.WriteLine($"before the crash: filled {before.FilledQuantity} in {before.Events} fill events; IBKR {script.AtIbkr.Filled}; "
            + $"after the replay of {replayed} executions: filled {script.Saga.FilledQuantity} in {script.Fills.Count} fill events; intake: {intake.Applied} applied, {intake.Unchanged} without news");

        Assert.Equal(2, replayed);
        Assert.Equal(script.AtIbkr.Filled, script.Saga.FilledQuantity);
        Assert.Equal(before, (script.Saga.FilledQuantity, script.Fills.Count));
        Assert.Equal(0, intake.Applied);
        Assert.Empty(script.Violations());
    }
}

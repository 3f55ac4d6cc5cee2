using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// The sor frame of a fill is lost and only the execution arrives (str), covering the whole order: without IBKR's status
/// it is not reported (as a partial fill of everything it would be reported twice, then again as OrderFilled); the next
/// read says Filled and the fill is reported once, as OrderFilled.
/// </summary>
public sealed class When_a_fill_arrives_only_over_str(ITestOutputHelper output)
{
    [Fact]
    public void Should_report_the_fill_once_when_a_read_says_filled()
    {
        using var script = new StreamScript();
        script.Place();
        script.Connect();
        script.Fill();
        var frames = script.Socket.Pending.Select(f => f.Topic).ToList();
        var readsBefore = script.LiveOrderReads;

        // Lose every sor frame, deliver the str one.
        while (script.Socket.Pending.FindIndex(f => f.Topic == "sor") is var sor and >= 0)
        {
            script.Run(new StreamLose(0, sor));
        }

        script.DeliverAll();
        var afterStr = (script.Saga.Status, script.Saga.FilledQuantity, Fills: script.Fills.ToList(), Reads: script.LiveOrderReads - readsBefore);

        // Time passes: the Subscribed reconcile and later the safety read say Filled.
        script.Run(new Advance(TimeSpan.FromSeconds(1)));
        script.Answer("live-orders");
        var after = (script.Saga.Status, script.Saga.FilledQuantity, Fills: script.Fills);
        output.WriteLine($"frames queued by the fill: {string.Join(",", frames)}; after str alone: {afterStr.Status} filled {afterStr.FilledQuantity}, events [{string.Join(", ", afterStr.Fills)}], REST reads {afterStr.Reads}");
        output.WriteLine($"after the next read: {after.Status} filled {after.FilledQuantity}, events [{string.Join(", ", after.Fills)}]");

        Assert.Equal(["str", "sor"], frames);
        Assert.Equal((OrderStatus.Working, 0m, 0), (afterStr.Status, afterStr.FilledQuantity, afterStr.Reads));
        Assert.Empty(afterStr.Fills);
        Assert.Equal((OrderStatus.Filled, 10m), (after.Status, after.FilledQuantity));
        Assert.Equal([(nameof(OrderFilled), 10m)], after.Fills);
        Assert.Empty(script.Violations());
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// A partial fill and the rest come in four frames (str, sor, str, sor) delivered last first: the sparse deltas merge
/// monotonically, so the order ends filled with IBKR's quantity and never goes back.
/// </summary>
public sealed class When_sor_frames_come_in_reverse(ITestOutputHelper output)
{
    [Fact]
    public void Should_end_filled_once_and_never_go_back()
    {
        using var script = new StreamScript(OrderShape.Limit, TimeInForce.GoodTillCancelled);
        script.Place();
        script.Connect();
        script.Fill(partly: true);
        script.Fill();
        var frames = script.Socket.Pending.Select(f => f.ToString()).ToList();
        script.DeliverAll(count => count - 1);
        output.WriteLine($"frames, delivered last first: {string.Join(" | ", frames)}");
        output.WriteLine($"saga: {script.Saga.Status} filled {script.Saga.FilledQuantity}; events [{string.Join(", ", script.Fills)}]");

        Assert.Equal(["str", "sor", "str", "sor"], frames.Select(f => f[..3]));
        Assert.Equal((OrderStatus.Filled, 10m), (script.Saga.Status, script.Saga.FilledQuantity));
        Assert.Equal([(nameof(OrderFilled), 10m)], script.Fills);
        Assert.Empty(script.Violations());
    }
}

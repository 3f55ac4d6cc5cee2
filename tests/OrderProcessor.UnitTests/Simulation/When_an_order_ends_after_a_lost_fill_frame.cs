using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Schedule;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// Seed 2853, shrunk: a partial fill's frames are lost (its execution garbled, its sor delta gone), then IBKR cancels
/// the order and the socket sends the end as a sparse delta: status Cancelled, no filled quantity (it did not change
/// since the last frame IBKR sent). Written as it came, the order ended Cancelled with 0 filled, final, and the fill was
/// missed for good. The end must wait for its figures: the order stays followed, a read is made, and it ends Cancelled
/// with the 5 IBKR filled.
/// </summary>
public sealed class When_an_order_ends_after_a_lost_fill_frame(ITestOutputHelper output)
{
    [Fact]
    public void Should_end_the_order_from_a_read_with_the_fill()
    {
        using var script = new StreamScript(OrderShape.Limit, TimeInForce.GoodTillCancelled);
        script.Place();
        script.Connect();
        script.Fill(partly: true);
        var lost = script.Socket.Pending.Select(f => f.ToString()).ToList();
        script.Run(new StreamGarbage(0), new StreamLose(0, 0));
        script.EndAtTheExchange();
        var end = script.Socket.Pending.Single().ToString();
        script.DeliverAll();
        var afterEnd = (script.Saga.Status, script.Saga.FilledQuantity);

        script.Run(new Advance(TimeSpan.FromSeconds(1)));
        script.Answer("live-orders");
        var cancelled = script.World.Db.Events.Where(e => e.OrderId == script.Spec.OrderId).Select(e => e.Event).OfType<OrderCancelled>().ToList();
        output.WriteLine($"lost: {string.Join(" | ", lost)}; delivered: {end}; then {afterEnd.Status} filled {afterEnd.FilledQuantity}; "
            + $"after the read: {script.Saga.Status} filled {script.Saga.FilledQuantity} (IBKR {script.AtIbkr.State} {script.AtIbkr.Filled})");

        Assert.DoesNotContain("filled -", lost[1], StringComparison.Ordinal);
        Assert.Contains("Cancelled filled -", end, StringComparison.Ordinal);
        Assert.Equal((OrderStatus.Working, 0m), afterEnd);
        Assert.Equal((OrderStatus.Cancelled, 5m), (script.Saga.Status, script.Saga.FilledQuantity));
        Assert.Equal(5m, Assert.Single(cancelled).FilledQuantity);
        Assert.Empty(script.Violations());
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Execution.Streaming;
using Xunit.Abstractions;
using Sagas = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// IBKR replays the day's executions on every <c>str</c> subscription (after every reconnect): a replayed execution
/// must change nothing, neither the ledger's sum nor the order.
/// </summary>
public sealed class When_executions_are_replayed(ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = new(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Should_count_each_execution_id_once_in_the_sum_and_the_average()
    {
        var ledger = new ExecutionLedger();
        var first = ledger.Add("op-a", StreamKit.Execution("e1", "7001", 4, 100m), At);
        var second = ledger.Add("op-a", StreamKit.Execution("e2", "7001", 6, 101m), At);
        var replayed = new[] { ledger.Add("op-a", StreamKit.Execution("e1", "7001", 4, 100m), At), ledger.Add("op-a", StreamKit.Execution("e2", "7001", 6, 101m), At) };
        var (filled, average, orderId) = ledger.Of("op-a");
        output.WriteLine($"e1 4@100, e2 6@101, then both again: added {first}/{second}, replays added {string.Join("/", replayed)}; filled {filled} @ {average} (order {orderId})");

        Assert.True(first && second);
        Assert.All(replayed, Assert.False);
        Assert.Equal((10m, 100.6m, "7001"), (filled, average, orderId));
    }

    [Fact]
    public async Task Should_report_the_fills_of_a_replay_after_a_reconnect_not_again()
    {
        var kit = new StreamKit();
        var order = Sagas.Working();
        kit.Store.Orders.Add(order);
        var oid = order.BrokerOrderId!;
        await kit.FrameAsync(str: [StreamKit.Execution("e1", oid, 4, 100m, order.ClientOrderId)]);
        await kit.FrameAsync(str: [StreamKit.Execution("e2", oid, 3, 102m, order.ClientOrderId)]);
        var events = kit.Store.Events.Count;

        // Reconnected: the whole day again, one frame, and once more (a duplicated frame).
        await kit.FrameAsync(str: [StreamKit.Execution("e1", oid, 4, 100m, order.ClientOrderId), StreamKit.Execution("e2", oid, 3, 102m, order.ClientOrderId)]);
        await kit.FrameAsync(str: [StreamKit.Execution("e1", oid, 4, 100m, order.ClientOrderId), StreamKit.Execution("e2", oid, 3, 102m, order.ClientOrderId)]);
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"two executions then two replays: saga {saga.Status} {saga.FilledQuantity} @ {saga.AveragePrice:0.####}; OrderPartiallyFilled {kit.EventsOf<OrderPartiallyFilled>()}; " +
            $"events after the replays {kit.Store.Events.Count - events}; executions counted as replayed {kit.Intake.Replayed}");

        Assert.Equal((OrderStatus.PartiallyFilled, 7m), (saga.Status, saga.FilledQuantity));
        Assert.Equal(Math.Round((4 * 100m + 3 * 102m) / 7, 6), Math.Round(saga.AveragePrice!.Value, 6));
        Assert.Equal(2, kit.EventsOf<OrderPartiallyFilled>());
        Assert.Equal(0, kit.Store.Events.Count - events);
        Assert.Equal(4, kit.Intake.Replayed);
    }

    [Fact]
    public async Task Should_map_an_execution_without_order_ref_through_its_ibkr_order_id()
    {
        var kit = new StreamKit();
        var order = Sagas.Working();
        kit.Store.Orders.Add(order);
        await kit.FrameAsync(sor: [StreamKit.Full(order, order.BrokerOrderId!, "Submitted")]);
        await kit.FrameAsync(str: [StreamKit.Execution("e9", order.BrokerOrderId!, 2, 50m)]);
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"an execution naming only IBKR's order id: saga {saga.Status} {saga.FilledQuantity} @ {saga.AveragePrice}; unmapped {kit.Intake.Unmapped}");

        Assert.Equal((OrderStatus.PartiallyFilled, 2m, 50m), (saga.Status, saga.FilledQuantity, saga.AveragePrice));
        Assert.Equal(0, kit.Intake.Unmapped);
    }
}

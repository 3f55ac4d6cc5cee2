using OrderProcessor.Contracts;
using Xunit.Abstractions;
using Sagas = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// A socket opened under a lease epoch this instance no longer holds (another instance took the user over) must not
/// write: the store's fence refuses it, and the intake counts it.
/// </summary>
public sealed class When_a_stream_write_carries_a_stale_lease_epoch(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_be_refused_and_counted_and_the_current_epoch_written()
    {
        var kit = new StreamKit();
        var order = Sagas.Working();
        kit.Store.Orders.Add(order);
        kit.Store.HeldEpoch = 2;

        await kit.FrameAsync(epoch: 1, sor: [StreamKit.Full(order, order.BrokerOrderId!, "Filled", 10, 100m)]);
        var afterStale = (kit.Store.Find(order.ClientOrderId).Status, kit.Store.Events.Count, kit.Intake.Refused, kit.Store.Refused);
        await kit.FrameAsync(epoch: 2, sor: [StreamKit.Delta(order.BrokerOrderId!)]);
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"epoch 1 while 2 is held: saga {afterStale.Status}, events {afterStale.Count}, intake refused {afterStale.Item3}, store refused {afterStale.Item4}; " +
            $"then an identity-only delta under epoch 2: {saga.Status}, OrderFilled {kit.EventsOf<OrderFilled>()}");

        Assert.Equal((OrderStatus.Working, 0, 1L, 1), afterStale);
        Assert.Equal(OrderStatus.Filled, saga.Status);
        Assert.Equal(1, kit.EventsOf<OrderFilled>());
    }
}

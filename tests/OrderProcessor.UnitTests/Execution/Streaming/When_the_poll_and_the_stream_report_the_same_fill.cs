using OrderProcessor.Contracts;
using Xunit.Abstractions;
using Sagas = OrderProcessor.UnitTests.Orders.Lifecycle;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>The REST read and the stream write the same observations through the same writer: one fill, one event.</summary>
public sealed class When_the_poll_and_the_stream_report_the_same_fill(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Should_report_it_once(bool streamFirst)
    {
        var kit = new StreamKit();
        var order = Sagas.Working();
        kit.Store.Orders.Add(order);
        var oid = order.BrokerOrderId!;
        kit.Gateway.Listed[StreamKit.User] = [StreamKit.Full(order, oid, "Submitted")];
        await kit.ConnectAsync();
        kit.Gateway.Listed[StreamKit.User] = [StreamKit.Full(order, oid, "Filled", 10, 100.25m)];

        async Task StreamAsync()
        {
            // The str and sor frames of one fill, gathered into one write (Lifecycle:StreamCoalesceWindow), then the sor again.
            await kit.FrameAsync(str: [StreamKit.Execution("e1", oid, 10, 100.25m, order.ClientOrderId)],
                sor: [StreamKit.Delta(oid, "Filled", filled: 10, remaining: 0, average: 100.25m)]);
            await kit.FrameAsync(sor: [StreamKit.Delta(oid, "Filled", filled: 10, remaining: 0, average: 100.25m)]);
        }

        Task PollAsync() => kit.Poll.RunAsync(StreamKit.User, 1, CancellationToken.None);
        await (streamFirst ? StreamAsync() : PollAsync());
        await (streamFirst ? PollAsync() : StreamAsync());
        var saga = kit.Store.Find(order.ClientOrderId);
        output.WriteLine($"{(streamFirst ? "stream, then poll" : "poll, then stream")}: {saga.Status} {saga.FilledQuantity} @ {saga.AveragePrice}; " +
            $"OrderFilled {kit.EventsOf<OrderFilled>()}, OrderPartiallyFilled {kit.EventsOf<OrderPartiallyFilled>()}; REST reads {kit.Gateway.Sent}");

        Assert.Equal((OrderStatus.Filled, 10m, 100.25m), (saga.Status, saga.FilledQuantity, saga.AveragePrice));
        Assert.Equal(1, kit.EventsOf<OrderFilled>());
        Assert.Equal(0, kit.EventsOf<OrderPartiallyFilled>());
    }

    [Fact]
    public async Task Should_write_the_str_and_sor_frames_of_one_fill_as_one_write_within_the_coalesce_window()
    {
        var kit = new StreamKit(coalesce: TimeSpan.FromMilliseconds(2));
        var order = Sagas.Working();
        kit.Store.Orders.Add(order);
        var oid = order.BrokerOrderId!;
        await kit.FrameAsync(sor: [StreamKit.Full(order, oid, "Submitted")]);
        kit.Time.Advance(TimeSpan.FromMilliseconds(2));
        await WaitForAsync(() => kit.Intake.Unchanged == 1);
        var writes = kit.Store.Writes;

        await kit.FrameAsync(str: [StreamKit.Execution("e1", oid, 10, 100.25m, order.ClientOrderId)]);
        kit.Time.Advance(TimeSpan.FromMilliseconds(1));
        await kit.FrameAsync(sor: [StreamKit.Delta(oid, "Filled", filled: 10, remaining: 0, average: 100.25m)]);
        var beforeWindow = kit.Store.Writes;
        kit.Time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForAsync(() => kit.Store.Writes > beforeWindow);
        output.WriteLine($"str then sor 1 ms apart with a 2 ms window: writes before the window ended {beforeWindow - writes}, after {kit.Store.Writes - writes}; " +
            $"OrderPartiallyFilled {kit.EventsOf<OrderPartiallyFilled>()}, OrderFilled {kit.EventsOf<OrderFilled>()}");

        Assert.Equal((0, 1), (beforeWindow - writes, kit.Store.Writes - writes));
        Assert.Equal((0, 1), (kit.EventsOf<OrderPartiallyFilled>(), kit.EventsOf<OrderFilled>()));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the coalesced write did not happen");
            await Task.Delay(5);
        }
    }
}

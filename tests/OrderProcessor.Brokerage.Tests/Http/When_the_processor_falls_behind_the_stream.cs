using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_the_processor_falls_behind_the_stream(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_keep_reading_the_socket_then_reopen_once_the_queue_overflows()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator, s => s["Brokerage:Stream:ObserverQueueCapacity"] = "16");
        const string user = "stream-slow-processor";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, TimeSpan.FromSeconds(10)));
        var account = (await guard.Host.Gateway.GetAccountsAsync(user))[0];
        var block = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        guard.Observer.Block = block;

        // Blocked processor, 2 s of heartbeats (the 1 s timeout would fire if the receive loop waited for it).
        await guard.Host.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var stateWhileBlocked = guard.Streams.StateOf(user);
        var missedWhileBlocked = guard.Observer.GapsOf(StreamGapCause.HeartbeatMissed);

        // Then more frames than the queue holds: the stream is incomplete, so it is reopened (a gap) instead of waiting.
        for (var i = 0; i < 12; i++)
        {
            await guard.Host.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);
        }

        var reopened = await RecordingStreamObserver.WaitFor(() => guard.Connector.Connects >= 2, TimeSpan.FromSeconds(10));
        block.SetResult();
        guard.Observer.Block = null;
        var gapDelivered = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Dropped) >= 1, TimeSpan.FromSeconds(10));

        output.WriteLine($"blocked processor for 2 s: state {stateWhileBlocked}, HeartbeatMissed gaps {missedWhileBlocked}; after 12 more orders (capacity 16): reopened after {reopened?.TotalMilliseconds:0} ms, Dropped gap delivered {(gapDelivered is null ? "never" : "after release")}; batches delivered {guard.Observer.Batches.Count}");
        Assert.Equal(OrderStreamState.Streaming, stateWhileBlocked);
        Assert.Equal(0, missedWhileBlocked);
        Assert.NotNull(reopened);
        Assert.NotNull(gapDelivered);
    }
}

using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Streaming;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_the_socket_sends_garbage(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(StreamGarbageKind.Malformed)]
    [InlineData(StreamGarbageKind.Partial)]
    [InlineData(StreamGarbageKind.NotJson)]
    public async Task Should_report_a_gap_for_one_bad_frame_and_keep_the_socket(StreamGarbageKind kind)
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        var user = "stream-garbage-" + kind.ToString().ToLowerInvariant();
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));

        simulator.Control.SendStreamGarbage(user, kind, 1);
        var noticed = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Malformed) >= 1, Within);
        await Task.Delay(300);

        output.WriteLine($"{kind}: Malformed gap after {noticed?.TotalMilliseconds:0} ms; state {guard.Streams.StateOf(user)}; connects {guard.Connector.Connects}");
        Assert.NotNull(noticed);
        Assert.Equal(OrderStreamState.Streaming, guard.Streams.StateOf(user));
        Assert.Equal(1, guard.Connector.Connects);
    }

    [Fact]
    public async Task Should_ignore_an_unknown_topic()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-unknown-topic";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));

        simulator.Control.SendStreamGarbage(user, StreamGarbageKind.UnknownTopic, 3);
        await Task.Delay(500);

        output.WriteLine($"unknown topics: Malformed gaps {guard.Observer.GapsOf(StreamGapCause.Malformed)}, state {guard.Streams.StateOf(user)}, connects {guard.Connector.Connects}");
        Assert.Equal(0, guard.Observer.GapsOf(StreamGapCause.Malformed));
        Assert.Equal(1, guard.Connector.Connects);
    }

    [Fact]
    public async Task Should_reconnect_after_a_few_bad_frames()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator, s => s["Brokerage:Stream:MalformedBeforeReconnect"] = "3");
        const string user = "stream-garbage-many";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));

        simulator.Control.SendStreamGarbage(user, StreamGarbageKind.NotJson, 3);
        var back = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 2, Within);

        var gaps = guard.Observer.Gaps.ToArray();
        output.WriteLine($"3 garbage frames: gaps {string.Join(", ", gaps.Select(g => $"{g.Cause}#{g.ConnectionId}"))}; a new socket subscribed after {back?.TotalMilliseconds:0} ms; connects {guard.Connector.Connects}");
        Assert.NotNull(back);
        Assert.True(guard.Observer.GapsOf(StreamGapCause.Malformed) >= 3);
        Assert.Equal(2, guard.Connector.Connects);
    }
}

using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_this_process_loses_the_users_lease_while_streaming(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_abort_the_socket_at_once_and_open_none_until_the_lease_is_back()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-lease";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));

        guard.Authority.Held = false;
        var closed = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Closed) == 1, Within);
        var socketsGone = await RecordingStreamObserver.WaitFor(
            () => !simulator.Control.Stream().Users.TryGetValue(user, out var mine) || mine.Connections == 0, Within);
        var connectsAfterLoss = guard.Connector.Connects;
        await Task.Delay(1500);
        var stateWithoutLease = guard.Streams.StateOf(user);
        var connectsWithoutLease = guard.Connector.Connects - connectsAfterLoss;

        guard.Authority.Held = true;
        var back = await guard.WaitForState(user, OrderStreamState.Streaming, Within);

        output.WriteLine($"lease lost: Closed gap after {closed?.TotalMilliseconds:0} ms (tick ≤ 250 ms), socket gone at the simulator after {socketsGone?.TotalMilliseconds:0} ms; without the lease for 1.5 s: state {stateWithoutLease}, connects {connectsWithoutLease}; lease back: streaming after {back?.TotalMilliseconds:0} ms");
        Assert.NotNull(closed);
        Assert.True(closed < TimeSpan.FromSeconds(2), "the socket is aborted within a watchdog tick or two");
        Assert.NotNull(socketsGone);
        Assert.Equal(OrderStreamState.PollingOnly, stateWithoutLease);
        Assert.Equal(0, connectsWithoutLease);
        Assert.NotNull(back);
    }

    [Fact]
    public async Task Should_reopen_under_a_new_lease_epoch()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-epoch";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 1, Within));

        guard.Streams.Follow(user, 2);
        guard.Streams.Follow(user, 2);
        var reopened = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 2, Within);

        var gaps = guard.Observer.Gaps.ToArray();
        output.WriteLine($"epoch 1 → 2: gaps {string.Join(", ", gaps.Select(g => $"{g.Cause}@{g.LeaseEpoch}#{g.ConnectionId}"))}; reopened after {reopened?.TotalMilliseconds:0} ms; connects {guard.Connector.Connects}");
        Assert.NotNull(reopened);
        Assert.Equal(1, gaps.Single(g => g.Cause == StreamGapCause.Closed).LeaseEpoch);
        Assert.Equal(2, gaps.Last(g => g.Cause == StreamGapCause.Subscribed).LeaseEpoch);
        Assert.Equal(2, guard.Connector.Connects);
    }
}

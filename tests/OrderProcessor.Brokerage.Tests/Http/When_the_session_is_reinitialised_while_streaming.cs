using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_the_session_is_reinitialised_while_streaming(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_close_and_reopen_under_the_new_session()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-reinit";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));
        var epochBefore = guard.Sessions.EpochOf(user);

        // A REST call saw the session gone (a 401): the guard re-initialises it.
        await guard.Sessions.RecoverAsync(user, epochBefore, CancellationToken.None);
        var gap = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.SessionReinitialised) == 1, Within);
        var back = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 2, Within);

        output.WriteLine($"session epoch {epochBefore} → {guard.Sessions.EpochOf(user)}: SessionReinitialised gap after {gap?.TotalMilliseconds:0} ms, subscribed again after {back?.TotalMilliseconds:0} ms; connects {guard.Connector.Connects}");
        Assert.NotNull(gap);
        Assert.NotNull(back);
        Assert.Equal(OrderStreamState.Streaming, guard.Streams.StateOf(user));
    }

    [Fact]
    public async Task Should_come_back_after_the_session_ends_at_ibkr()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-session-end";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));
        var epochBefore = guard.Sessions.EpochOf(user);

        // The nightly reset: IBKR ends the session and closes the socket.
        simulator.Control.DropSession(user);
        var back = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 2, Within);

        var gaps = guard.Observer.Gaps.ToArray();
        output.WriteLine($"session ended: gaps {string.Join(", ", gaps.Select(g => g.Cause))}; session epoch {epochBefore} → {guard.Sessions.EpochOf(user)}; streaming again after {back?.TotalMilliseconds:0} ms");
        Assert.NotNull(back);
        Assert.Contains(gaps, g => g.Cause is StreamGapCause.Dropped or StreamGapCause.SessionReinitialised);
        Assert.True(guard.Sessions.EpochOf(user) > epochBefore, "a new session was initialised before the socket reopened");
    }
}

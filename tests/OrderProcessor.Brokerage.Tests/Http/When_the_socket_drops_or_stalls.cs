using System.Diagnostics;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_the_socket_drops_or_stalls(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_report_the_drop_reconnect_and_read_again_before_subscribing()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-drop";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));

        simulator.Control.DropStream(user);
        var noticed = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Dropped) == 1, Within);
        var back = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 2, Within);

        var gaps = guard.Observer.Gaps.ToArray();
        output.WriteLine($"drop noticed after {noticed?.TotalMilliseconds:0} ms, subscribed again after {back?.TotalMilliseconds:0} ms; gaps: {string.Join(", ", gaps.Select(g => $"{g.Cause}#{g.ConnectionId}"))}; reads before subscribing {guard.Observer.BeforeSubscribeCalls}; state {guard.Streams.StateOf(user)}");
        Assert.NotNull(noticed);
        Assert.NotNull(back);
        Assert.Equal(2, guard.Observer.BeforeSubscribeCalls);
        var dropped = gaps.Single(g => g.Cause == StreamGapCause.Dropped);
        var resubscribed = gaps.Last(g => g.Cause == StreamGapCause.Subscribed);
        Assert.True(resubscribed.ConnectionId > dropped.ConnectionId, "the new socket has a new connection id");
        Assert.Equal(OrderStreamState.Streaming, guard.Streams.StateOf(user));
    }

    [Fact]
    public async Task Should_abort_a_stalled_socket_after_the_heartbeat_timeout()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        // A 2.5 s heartbeat timeout (heartbeats every 200 ms), not the fixture's 1 s: this test process, simulator included,
        // was seen frozen for up to 1.7 s on a loaded machine (no GC, idle threads), and one CI run counted such a freeze
        // as a stall while heartbeats flowed.
        await using var guard = await StreamingGuard.StartAsync(simulator, s => s["Brokerage:Stream:HeartbeatTimeout"] = "00:00:02.500");
        const string user = "stream-stall";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var missedWhileHeartbeating = guard.Observer.GapsOf(StreamGapCause.HeartbeatMissed);

        // Stalled for 5 s: every socket of the user is silent meanwhile (a new one gets no success either).
        simulator.Control.StallStream(user, TimeSpan.FromSeconds(5));
        var stalled = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.HeartbeatMissed) == 1, Within);
        var notStreaming = guard.Streams.StateOf(user);
        var back = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 2, Within);

        foreach (var record in guard.Host.Logs.GetSnapshot().Where(r => r.Category?.Contains("UserOrderStream", StringComparison.Ordinal) == true))
        {
            output.WriteLine($"{record.Timestamp:HH:mm:ss.fff} {record.Message}");
        }

        output.WriteLine($"gaps while heartbeats flowed (3 s > timeout 2.5 s): {missedWhileHeartbeating}; stall detected after {stalled?.TotalMilliseconds:0} ms (timeout 2.5 s, tick 625 ms); state then {notStreaming}; a new socket subscribed after {back?.TotalMilliseconds:0} ms");
        Assert.Equal(0, missedWhileHeartbeating);
        Assert.NotNull(stalled);

        // The timeout counts from the last frame received, not from the stall, and the stall is judged on a 625 ms tick:
        // alone, this test saw the abort 2.8-3.0 s after the stall; run with its class, 2.6 s twice and 1.9 s once, here
        // and in CI (the last frame older than the stall by more than a heartbeat: a freeze of this process, simulator
        // included, sends none meanwhile). The 3 s of heartbeats above prove that nothing is aborted while they flow; the
        // lower bound here only proves that the abort waits for silence rather than following the stall at once.
        Assert.InRange(stalled!.Value.TotalMilliseconds, 1000, 6000);
        Assert.NotEqual(OrderStreamState.Streaming, notStreaming);
        Assert.NotNull(back);
    }

    [Fact]
    public async Task Should_back_off_while_the_upgrade_keeps_failing()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator, s =>
        {
            s["Brokerage:Stream:ReconnectBaseDelay"] = "00:00:00.100";
            s["Brokerage:Stream:ReconnectMaxDelay"] = "00:00:01.600";
        });
        const string user = "stream-refused";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));

        // The upgrade now answers 503: every reconnect fails, each one later than the last. Judged by the gaps between the
        // refused attempts, not by a count in a fixed time: a freeze of this process (guard and simulator alike) only
        // lengthens gaps (CI once counted 2 in 4 s), while a retry that did not back off would make one too short. Each
        // attempt tickles first, and the tickle's own pacing keeps the gaps near 1.1 s here until the backoff passes it.
        guard.Connector.RefuseWith = 503;
        var before = guard.Connector.Connects;
        simulator.Control.DropStream(user);
        var refused = await RecordingStreamObserver.WaitFor(() => guard.Connector.Connects - before >= 5, TimeSpan.FromSeconds(30));
        var state = guard.Streams.StateOf(user);
        guard.Connector.RefuseWith = null;

        var times = guard.Connector.ConnectedAt.Skip(before).Take(5).Select(t => Stopwatch.GetElapsedTime(t)).ToList();
        var gaps = times.Zip(times.Skip(1), (earlier, later) => earlier - later).ToList();
        var back = await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 2, Within);
        output.WriteLine($"5 refused reconnects after {refused?.TotalMilliseconds:0} ms, gaps {string.Join(", ", gaps.Select(g => $"{g.TotalMilliseconds:0}"))} ms (backoff 0.1 s doubling to 1.6 s, jittered to half); state meanwhile {state}; back to streaming after the fault ended in {back?.TotalMilliseconds:0} ms");
        Assert.NotNull(refused);
        for (var k = 0; k < gaps.Count; k++)
        {
            // The k-th gap follows at least k + 1 failures: at least half of 0.1 s × 2^k (capped at 1.6 s), less timer slack.
            var floor = (0.5 * Math.Min(100 * Math.Pow(2, k), 1600)) - 15;
            Assert.True(gaps[k].TotalMilliseconds >= floor, $"gap {k + 1} was {gaps[k].TotalMilliseconds:0} ms, under the backoff's {floor:0} ms");
        }

        Assert.Equal(OrderStreamState.Reconnecting, state);
        Assert.NotNull(back);
    }
}

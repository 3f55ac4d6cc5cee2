using System.Diagnostics;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_a_socket_is_opened_for_a_ready_session(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_read_first_then_subscribe_after_success_and_send_nothing_before()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-open";

        var notFollowed = guard.Streams.StateOf(user);
        guard.Streams.Follow(user, 1);
        var took = await guard.WaitForState(user, OrderStreamState.Streaming, Within);
        await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) == 1, Within);

        var report = simulator.Control.Stream();
        var subscriptions = report.Users.TryGetValue(user, out var mine) ? mine.Subscriptions : [];
        output.WriteLine($"state before Follow: {notFollowed}; Streaming after {took?.TotalMilliseconds:0} ms; clientFramesBeforeSuccess={report.ClientFramesBeforeSuccess}; subscriptions: {string.Join(", ", subscriptions)}; events: {string.Join(" → ", guard.Observer.Events.Select(Describe))}");
        Assert.Equal(OrderStreamState.NotFollowed, notFollowed);
        Assert.NotNull(took);
        Assert.Equal(0, report.ClientFramesBeforeSuccess);
        Assert.Contains("sor", subscriptions);
        Assert.Contains("str", subscriptions);
        Assert.Equal(["before-subscribe", "gap Subscribed"], guard.Observer.Events.Take(2).Select(Describe));

        // One socket, unless a heartbeat missed on a loaded machine (the test's watchdog is 1 s) reopened it: every
        // reconnect must be explained by a missed heartbeat, each again read first and subscribed after success.
        var missed = guard.Observer.GapsOf(StreamGapCause.HeartbeatMissed);
        Assert.InRange(guard.Connector.Connects, 1, 1 + missed);
    }

    [Fact]
    public async Task Should_deliver_the_order_and_its_execution_as_they_happen()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "stream-fill";
        guard.Streams.Follow(user, 7);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));
        var account = (await guard.Host.Gateway.GetAccountsAsync(user))[0];
        var ticket = Tickets.Market(quantity: 3);

        var placing = Stopwatch.StartNew();
        await guard.Host.Gateway.PlaceOrderAsync(user, account, [ticket]);
        var filledOverSor = await RecordingStreamObserver.WaitFor(
            () => guard.Observer.Batches.SelectMany(b => b.OrderDeltas).Any(o => o.Status == "Filled"), Within);
        var executionOverStr = await RecordingStreamObserver.WaitFor(
            () => guard.Observer.Batches.SelectMany(b => b.Executions).Any(e => e.OrderRef == ticket.ClientOrderId), Within);
        var total = placing.Elapsed;

        var batches = guard.Observer.Batches.ToArray();
        var first = batches.SelectMany(b => b.OrderDeltas).First();
        var executions = batches.SelectMany(b => b.Executions).Where(e => e.OrderRef == ticket.ClientOrderId).ToArray();
        output.WriteLine($"place → Filled over sor {filledOverSor?.TotalMilliseconds:0} ms, execution over str {executionOverStr?.TotalMilliseconds:0} ms (total {total.TotalMilliseconds:0} ms); {batches.Length} batches, first sor element cOID {first.OrderRef}, executions {executions.Length} totalling {executions.Sum(e => e.Size)}; overlapping observer calls {guard.Observer.Overlaps}");
        Assert.NotNull(filledOverSor);
        Assert.NotNull(executionOverStr);
        Assert.Equal(ticket.ClientOrderId, first.OrderRef);
        Assert.Equal(3m, executions.Sum(e => e.Size));
        Assert.All(batches, b => Assert.Equal(7, b.LeaseEpoch));
        Assert.Equal(0, guard.Observer.Overlaps);
    }

    [Fact]
    public async Task Should_send_tic_on_its_interval_and_survive_an_observer_failure()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator, s => s["Brokerage:Stream:TicInterval"] = "00:00:00.250");
        const string user = "stream-tic";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));
        var account = (await guard.Host.Gateway.GetAccountsAsync(user))[0];
        guard.Observer.ThrowOnNextBatch = true;

        await guard.Host.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);
        var ticsAtStart = simulator.Control.Stream().Tics;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var tics = simulator.Control.Stream().Tics - ticsAtStart;

        var state = guard.Streams.StateOf(user);

        // The observer's failure must not end the socket; only a missed heartbeat may, which a frozen test process
        // causes (CI saw 3 tics in 2 s and a reopen). The stream must be back, and every gap after the subscription
        // must be such a miss; then the tic count says nothing of the interval, so it is judged only without one.
        var back = await guard.WaitForState(user, OrderStreamState.Streaming, Within);
        var ended = state == OrderStreamState.Streaming || await RecordingStreamObserver.WaitFor(
            () => guard.Observer.Gaps.Any(g => g.Cause != StreamGapCause.Subscribed), Within) is not null;
        var missed = guard.Observer.GapsOf(StreamGapCause.HeartbeatMissed);
        var otherGaps = guard.Observer.Gaps.Where(g => g.Cause is not (StreamGapCause.Subscribed or StreamGapCause.HeartbeatMissed)).Select(g => g.Cause).ToArray();
        output.WriteLine($"tics in 2 s at a 250 ms interval (ticked by a ≤250 ms watchdog): {tics}; state {state}; connects {guard.Connector.Connects}; heartbeats missed {missed}; other gaps [{string.Join(", ", otherGaps)}]; batches {guard.Observer.Batches.Count}");
        Assert.True(guard.Observer.Batches.Count >= 2, "batches after the failing one still arrive");
        Assert.NotNull(back);
        Assert.True(ended, "a socket that left Streaming reports its gap");
        Assert.Empty(otherGaps);
        Assert.InRange(guard.Connector.Connects, 1, 1 + missed);
        if (missed == 0)
        {
            Assert.InRange(tics, 3, 9);
            Assert.Equal(OrderStreamState.Streaming, state);
        }
    }

    [Fact]
    public async Task Should_close_the_socket_after_the_idle_time_once_unfollowed_and_stay_off_when_disabled()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        await using var disabled = await StreamingGuard.StartAsync(simulator, s => s["Brokerage:Stream:Enabled"] = "false");
        const string user = "stream-idle";
        guard.Streams.Follow(user, 1);
        disabled.Streams.Follow("stream-off", 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));

        guard.Streams.Unfollow(user);
        var stillOpen = guard.Streams.StateOf(user);
        var closed = await guard.WaitForState(user, OrderStreamState.NotFollowed, Within);

        // A frozen test process misses a heartbeat (1 s here): the socket then ends with that gap and, if the idle close
        // comes while it reconnects, there is no socket left to close and no Closed gap (a local run saw this under the
        // suite's load: NotFollowed after 2.9 s, no Closed gap). Only such a miss excuses a missing Closed gap.
        await RecordingStreamObserver.WaitFor(
            () => guard.Observer.GapsOf(StreamGapCause.Closed) == 1 || guard.Observer.GapsOf(StreamGapCause.HeartbeatMissed) > 0, Within);
        await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Closed) == 1, TimeSpan.FromSeconds(2));
        var missed = guard.Observer.GapsOf(StreamGapCause.HeartbeatMissed);
        var connections = simulator.Control.Stream().Users.TryGetValue(user, out var mine) ? mine.Connections : 0;
        var gaps = guard.Observer.Gaps.Select(g => g.Cause).ToArray();

        output.WriteLine($"right after Unfollow: {stillOpen}; NotFollowed after {closed?.TotalMilliseconds:0} ms (IdleCloseAfter 1 s); gaps [{string.Join(", ", gaps)}]; sockets left at the simulator {connections}; disabled guard: {disabled.Streams.StateOf("stream-off")}, connects {disabled.Connector.Connects}");
        Assert.Equal(OrderStreamState.Streaming, stillOpen);
        Assert.NotNull(closed);
        Assert.InRange(closed!.Value.TotalMilliseconds, 700, 5000);
        Assert.InRange(guard.Observer.GapsOf(StreamGapCause.Closed), missed == 0 ? 1 : 0, 1);
        Assert.DoesNotContain(gaps, c => c is not (StreamGapCause.Subscribed or StreamGapCause.HeartbeatMissed or StreamGapCause.Closed));
        Assert.Equal(OrderStreamState.PollingOnly, disabled.Streams.StateOf("stream-off"));
        Assert.Equal(0, disabled.Connector.Connects);
    }

    private static string Describe(object e) => e switch
    {
        StreamGap gap => "gap " + gap.Cause,
        OrderStreamBatch batch => $"batch sor={batch.OrderDeltas.Count} str={batch.Executions.Count}",
        _ => e.ToString() ?? string.Empty,
    };
}

using System.Diagnostics;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Streaming;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Streaming;

/// <summary>
/// A socket that drops, stalls (no frame, not even the heartbeat, connection open) or sends garbage is noticed; the
/// user is read over REST at the polling interval until the socket streams again, and a fill made meanwhile (which the
/// socket never carries: IBKR does not buffer frames) is reported once.
/// </summary>
public sealed class When_the_socket_drops_stalls_or_sends_garbage(StreamingFixture fixture, ITestOutputHelper output) : IClassFixture<StreamingFixture>
{
    [Fact]
    public async Task Should_read_the_user_again_when_the_socket_drops_and_miss_nothing()
    {
        var command = await fixture.PlaceRestingAsync("alice", 7201, quantity: 10);
        var since = DateTimeOffset.UtcNow;

        Assert.True(fixture.Simulator.Control.DropStream("alice") > 0);
        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(StreamingFixture.KeyOf(command), 4m, 99m));
        await fixture.Downstream.WaitForAsync(command.OrderId, _ => fixture.FillEvents(command.OrderId).Contains(4m), TimeSpan.FromSeconds(10));
        await fixture.WaitStreamingAsync("alice");
        var reads = fixture.LiveOrderReads("alice", since);

        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(StreamingFixture.KeyOf(command), null, 99m));
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);
        await Task.Delay(500);
        output.WriteLine($"dropped: {reads} live-order reads until streaming again; fill events {string.Join(", ", fixture.FillEvents(command.OrderId))}");

        Assert.True(reads >= 1, "the user was not read again after the socket dropped");
        Assert.Equal([4m, 10m], fixture.FillEvents(command.OrderId));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_poll_a_stalled_user_and_report_the_fill_made_during_the_stall()
    {
        var command = await fixture.PlaceRestingAsync("bob", 7202, quantity: 10);

        var stalled = Stopwatch.StartNew();
        fixture.Simulator.Control.StallStream("bob", TimeSpan.FromSeconds(8));
        var state = await fixture.WaitNotStreamingAsync("bob", TimeSpan.FromSeconds(6));
        var noticedAfter = stalled.Elapsed;
        var since = DateTimeOffset.UtcNow;
        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(StreamingFixture.KeyOf(command), null, 99m));
        var filled = Stopwatch.StartNew();
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled), TimeSpan.FromSeconds(10));
        var reportedAfter = filled.Elapsed;
        var stillStalled = stalled.Elapsed < TimeSpan.FromSeconds(8);
        var reads = fixture.LiveOrderReads("bob", since);
        output.WriteLine($"stall noticed after {noticedAfter.TotalMilliseconds:F0} ms ({state}); the fill made during the stall reported after {reportedAfter.TotalMilliseconds:F0} ms " +
            $"(stall still on: {stillStalled}), {reads} live-order reads meanwhile");

        Assert.True(noticedAfter < TimeSpan.FromSeconds(4), "a stalled socket is noticed within the heartbeat timeout (2 s here)");
        Assert.True(stillStalled, "the fill was reported only after the stall ended: the user was not polled meanwhile");
        Assert.True(reads >= 1);
        await Task.Delay(500);
        Assert.Equal([10m], fixture.FillEvents(command.OrderId));
        await fixture.WaitStreamingAsync("bob", TimeSpan.FromSeconds(20));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Theory]
    [InlineData(StreamGarbageKind.NotJson, "carol", 7203)]
    [InlineData(StreamGarbageKind.Partial, "dave", 7204)]
    public async Task Should_reopen_a_socket_that_sends_garbage_and_miss_nothing(StreamGarbageKind kind, string user, int conid)
    {
        var command = await fixture.PlaceRestingAsync(user, conid, quantity: 10);
        var connects = fixture.Simulator.Control.Stream().Connects;
        var since = DateTimeOffset.UtcNow;

        Assert.True(fixture.Simulator.Control.SendStreamGarbage(user, kind, count: 5) > 0);
        var state = await fixture.WaitNotStreamingAsync(user, TimeSpan.FromSeconds(5));
        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(StreamingFixture.KeyOf(command), null, 99m));
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(10));
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        var reads = fixture.LiveOrderReads(user, since);
        await Task.Delay(1000);
        var reconnects = fixture.Simulator.Control.Stream().Connects - connects;
        output.WriteLine($"{kind}: left streaming ({state}), {reconnects} reconnects, {reads} live-order reads, fill events {string.Join(", ", fixture.FillEvents(command.OrderId))}");

        Assert.NotEqual(OrderStreamState.Streaming, state);
        Assert.Equal([10m], fixture.FillEvents(command.OrderId));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Theory]
    [InlineData(StreamGarbageKind.Malformed, "erin", 7205)]
    [InlineData(StreamGarbageKind.UnknownTopic, "alice", 7206)]
    public async Task Should_keep_streaming_past_well_formed_frames_it_cannot_use(StreamGarbageKind kind, string user, int conid)
    {
        // Valid JSON: a bad element is skipped (the rest of its frame still counts), an unknown topic ignored.
        var command = await fixture.PlaceRestingAsync(user, conid, quantity: 10);
        var connects = fixture.Simulator.Control.Stream().Connects;

        Assert.True(fixture.Simulator.Control.SendStreamGarbage(user, kind, count: 5) > 0);
        await Task.Delay(500);
        var state = fixture.StateOf(user);
        var watch = Stopwatch.StartNew();
        Assert.Equal(FateOutcome.Done, fixture.Simulator.Control.Fill(StreamingFixture.KeyOf(command), null, 99m));
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled), TimeSpan.FromSeconds(10));
        var latency = watch.Elapsed;
        await Task.Delay(500);
        var reconnects = fixture.Simulator.Control.Stream().Connects - connects;
        output.WriteLine($"{kind}: {state} afterwards, {reconnects} reconnects, fill reported after {latency.TotalMilliseconds:F0} ms, fill events {string.Join(", ", fixture.FillEvents(command.OrderId))}");

        Assert.Equal(OrderStreamState.Streaming, state);
        Assert.Equal(0, reconnects);
        Assert.Equal([10m], fixture.FillEvents(command.OrderId));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using OrderProcessor.Simulator.Streaming;
using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_stream_faults_are_injected(ITestOutputHelper output)
{
    private const int Conid = 8314;

    private static async Task<(IbkrUser User, StreamClient Socket)> StreamingTraderAsync(SimulatorHost host, string userId = "alice")
    {
        var user = await host.OpenSessionAsync(userId);
        await user.SuppressAsync("o10151", "o163");
        var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync();
        await socket.NextOnAsync("sts");
        await When_a_client_opens_the_order_stream.WaitForAsync(() =>
            host.Control.Stream().Users.TryGetValue(userId, out var u) && u.OrdersSubscribed == 1 && u.ExecutionsSubscribed == 1);
        return (user, socket);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Should_drop_the_users_socket_with_or_without_a_close_frame(bool graceful)
    {
        using var host = new SimulatorHost();
        var (user, socket) = await StreamingTraderAsync(host);
        await using var _ = socket;

        var dropped = host.Control.DropStream("alice", graceful);
        var ended = await socket.EndedWithinAsync();

        output.WriteLine($"graceful {graceful}: dropped {dropped}, ended {ended}, close status {socket.CloseStatus?.ToString() ?? "none"}, broken {socket.Broken}");
        Assert.Equal(1, dropped);
        Assert.True(ended);
        if (graceful)
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
        else
            Assert.Null(socket.CloseStatus);
        Assert.Equal(1, host.Control.Stream().Drops);
        user.Dispose();
    }

    [Fact]
    public async Task Should_stall_every_frame_heartbeats_included_for_the_duration_and_lose_what_was_produced()
    {
        using var host = new SimulatorHost();
        var (user, socket) = await StreamingTraderAsync(host);
        await using var _ = socket;

        host.Control.StallStream("alice", TimeSpan.FromSeconds(30));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        host.Control.Tick();
        host.Time.Advance(TimeSpan.FromSeconds(10));
        host.Time.Advance(TimeSpan.FromSeconds(10));
        var during = await socket.NextAsync(TimeSpan.FromMilliseconds(500));
        var lost = host.Control.Stream().FramesLost;
        host.Time.Advance(TimeSpan.FromSeconds(10));
        var after = await socket.NextAsync();

        output.WriteLine($"during the stall: {during?.Text ?? "nothing"} ({lost} frames lost, socket {socket.Socket.State}); after 30 s: {after?.Text}");
        Assert.Null(during);
        Assert.True(lost >= 4, "the sor, str and 2 heartbeats were lost");
        Assert.Equal(WebSocketState.Open, socket.Socket.State);
        Assert.True(after!.IsHeartbeat);
        user.Dispose();
    }

    [Fact]
    public async Task Should_delay_frames_by_the_duration_on_the_simulator_clock()
    {
        using var host = new SimulatorHost();
        var (user, socket) = await StreamingTraderAsync(host);
        await using var _ = socket;

        host.Control.DelayStream("alice", TimeSpan.FromSeconds(2));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        var before = await socket.NextAsync(TimeSpan.FromMilliseconds(500));
        host.Time.Advance(TimeSpan.FromSeconds(2));
        var after = await socket.NextAsync();

        output.WriteLine($"within 0.5 s of real time: {before?.Text ?? "nothing"}; after 2 s of the simulator clock: {after?.Text}");
        Assert.Null(before);
        Assert.Equal("sor", after!.Topic);
        user.Dispose();
    }

    [Theory]
    [InlineData(StreamGarbageKind.Malformed)]
    [InlineData(StreamGarbageKind.Partial)]
    [InlineData(StreamGarbageKind.NotJson)]
    [InlineData(StreamGarbageKind.UnknownTopic)]
    public async Task Should_send_the_garbage_asked_for(StreamGarbageKind kind)
    {
        using var host = new SimulatorHost();
        var (user, socket) = await StreamingTraderAsync(host);
        await using var _ = socket;

        var sockets = host.Control.SendStreamGarbage("alice", kind, 2);
        var first = await socket.NextAsync();
        var second = await socket.NextAsync();

        output.WriteLine($"{kind} to {sockets} socket(s): {first?.Text}");
        Assert.Equal(1, sockets);
        Assert.Equal(first!.Text, second!.Text);
        switch (kind)
        {
            case StreamGarbageKind.Malformed:
                Assert.Equal("sor", first.Topic);
                Assert.NotEqual(JsonValueKind.Number, first.Args[0].GetProperty("orderId").ValueKind);
                break;
            case StreamGarbageKind.Partial:
                Assert.Null(first.Json);
                Assert.StartsWith("{\"topic\":\"sor\"", first.Text, StringComparison.Ordinal);
                break;
            case StreamGarbageKind.NotJson:
                Assert.Null(first.Json);
                break;
            default:
                Assert.NotNull(first.Topic);
                Assert.DoesNotContain(first.Topic, new[] { "sor", "str", "sts", "act", "system" });
                break;
        }

        Assert.Equal(2, host.Control.Stream().FramesByTopic["garbage"]);
        user.Dispose();
    }

    [Fact]
    public async Task Should_send_the_next_data_frames_twice()
    {
        using var host = new SimulatorHost();
        var (user, socket) = await StreamingTraderAsync(host);
        await using var _ = socket;

        host.Control.DuplicateStreamFrames("alice", 1);
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        var first = await socket.NextOnAsync("sor");
        var second = await socket.NextOnAsync("sor");
        host.Control.Tick();
        var fill = await socket.NextOnAsync("sor");
        var execution = await socket.NextOnAsync("str");
        var more = await socket.NextAsync(TimeSpan.FromMilliseconds(400));

        output.WriteLine($"1: {first.Text}\n2: {second.Text}\nthen {fill.Text} / {execution.Text} / {more?.Text ?? "nothing"}");
        Assert.Equal(first.Text, second.Text);
        Assert.NotEqual(first.Text, fill.Text);
        Assert.Null(more);
        Assert.Equal(1, host.Control.Stream().FramesDuplicated);
        user.Dispose();
    }

    [Fact]
    public async Task Should_drop_every_socket_of_every_user_every_period_until_cleared()
    {
        using var host = new SimulatorHost();
        var (alice, aliceSocket) = await StreamingTraderAsync(host, "alice");
        var (bob, bobSocket) = await StreamingTraderAsync(host, "bob");

        host.Control.DropStreamsEvery(TimeSpan.FromSeconds(20));
        host.Time.Advance(TimeSpan.FromSeconds(20));
        var bothEnded = await aliceSocket.EndedWithinAsync() && await bobSocket.EndedWithinAsync();
        await using var again = await host.ConnectStreamAsync(alice);
        await again.UntilSuccessAsync();
        host.Time.Advance(TimeSpan.FromSeconds(20));
        var againEnded = await again.EndedWithinAsync();
        host.Control.ClearStreamFaults();
        await using var last = await host.ConnectStreamAsync(alice);
        await last.UntilSuccessAsync();
        host.Time.Advance(TimeSpan.FromSeconds(20));
        var lastEnded = await last.EndedWithinAsync(TimeSpan.FromMilliseconds(500));

        var report = host.Control.Stream();
        output.WriteLine($"after 20 s: both ended {bothEnded}; a new socket after 20 s more: ended {againEnded}; after clearing: ended {lastEnded}; drops {report.Drops}, connects {report.Connects}");
        Assert.True(bothEnded);
        Assert.True(againEnded);
        Assert.False(lastEnded);
        Assert.Equal(3, report.Drops);
        Assert.Null(report.DropEvery);
        await aliceSocket.DisposeAsync();
        await bobSocket.DisposeAsync();
        alice.Dispose();
        bob.Dispose();
    }

    [Theory]
    [InlineData("serverError")]
    [InlineData("answerLost")]
    public async Task Should_refuse_the_upgrade_when_http_faults_match_the_socket_path(string fault)
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        var session = await user.SessionIdAsync();
        host.Control.SetFaults(fault == "serverError"
            ? new Simulator.Faults.FaultSettings { ServerErrorRate = 1, PathContains = "/ws" }
            : new Simulator.Faults.FaultSettings { AnswerLostRate = 1, PathContains = "/ws" });

        var refused = await Record.ExceptionAsync(() => host.ConnectStreamAsync(user, cookie: session));
        host.Control.ClearFaults();
        await using var socket = await host.ConnectStreamAsync(user, cookie: session);
        var greeting = await socket.UntilSuccessAsync();

        output.WriteLine($"{fault}: {refused?.GetType().Name} {refused?.Message}; after clearing: {greeting.Count} frames to success");
        Assert.NotNull(refused);
        Assert.Equal(1, host.Control.Stream().Connects);
    }

    [Fact]
    public async Task Should_answer_the_control_routes_over_http_and_reset_everything()
    {
        using var host = new SimulatorHost();
        var (user, socket) = await StreamingTraderAsync(host);
        await using var _ = socket;
        using var http = host.CreateClient();

        var stall = await http.PostAsJsonAsync("/__sim/users/alice/stream/stall", new { @for = "00:00:30" });
        var delay = await http.PostAsJsonAsync("/__sim/users/alice/stream/delay", new { by = "00:00:02" });
        var duplicate = await http.PostAsJsonAsync("/__sim/users/alice/stream/duplicate", new { count = 2 });
        var badGarbage = await http.PostAsJsonAsync("/__sim/users/alice/stream/garbage", new { kind = "nonsense" });
        var garbage = await http.PostAsJsonAsync("/__sim/users/alice/stream/garbage", new { kind = "notJson", count = 1 });
        var dropEvery = await http.PostAsJsonAsync("/__sim/stream/drop-every", new { every = "00:00:20" });
        var state = await http.GetFromJsonAsync<JsonElement>("/__sim/stream");
        var clear = await http.DeleteAsync("/__sim/stream/faults");
        var cleared = await http.GetFromJsonAsync<JsonElement>("/__sim/stream");
        var drop = await http.PostAsJsonAsync("/__sim/users/alice/stream/drop", new { graceful = true });
        await socket.EndedWithinAsync();
        await using var again = await host.ConnectStreamAsync(user);
        await again.UntilSuccessAsync();
        await http.PostAsync("/__sim/reset", null);
        var resetEnded = await again.EndedWithinAsync();
        var afterReset = host.Control.Stream();

        output.WriteLine("GET /__sim/stream: " + state.GetRawText());
        output.WriteLine($"after clearing: {cleared.GetRawText()}; reset ended the socket: {resetEnded}");
        Assert.Equal(HttpStatusCode.NoContent, stall.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, delay.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badGarbage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, garbage.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, dropEvery.StatusCode);
        var alice = state.GetProperty("users").GetProperty("alice");
        Assert.Equal(1, alice.GetProperty("connections").GetInt32());
        Assert.Equal(2, alice.GetProperty("subscriptions").GetArrayLength());
        Assert.Equal(2, alice.GetProperty("faults").GetProperty("duplicatesPending").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, alice.GetProperty("faults").GetProperty("stalledUntil").ValueKind);
        Assert.Equal(1, state.GetProperty("clientMessagesByKind").GetProperty("sor").GetInt64());
        Assert.Equal(0, state.GetProperty("clientFramesBeforeSuccess").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("dropEvery").ValueKind);
        Assert.False(cleared.GetProperty("users").GetProperty("alice").TryGetProperty("faults", out var f) && f.ValueKind != JsonValueKind.Null);
        Assert.Equal(HttpStatusCode.OK, drop.StatusCode);
        Assert.True(resetEnded);
        Assert.Equal(0, afterReset.Drops);
        user.Dispose();
    }
}

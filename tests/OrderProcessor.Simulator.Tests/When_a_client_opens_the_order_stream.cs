using System.Net;
using System.Net.WebSockets;
using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_client_opens_the_order_stream(ITestOutputHelper output)
{
    private static async Task<HttpStatusCode> UpgradeStatusAsync(SimulatorHost host, string? token, string? cookie)
    {
        using var http = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/api/ws" + (token is null ? string.Empty : "?bearer_token=" + Uri.EscapeDataString(token)));
        if (cookie is not null)
            request.Headers.Add("Cookie", "api=" + cookie);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Should_refuse_with_401_before_the_upgrade_without_the_token_or_the_sessions_cookie()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        var session = await user.SessionIdAsync();
        using var unInitialised = await host.SignInAsync("bob");

        var noToken = await UpgradeStatusAsync(host, null, session);
        var noCookie = await UpgradeStatusAsync(host, user.Token, null);
        var wrongCookie = await UpgradeStatusAsync(host, user.Token, "00000000000000000000000000000000");
        var noSession = await UpgradeStatusAsync(host, unInitialised.Token, session);
        var rightButNoUpgrade = await UpgradeStatusAsync(host, user.Token, session);
        var socketWithoutCookie = await Record.ExceptionAsync(() => host.ConnectStreamAsync(user, cookie: string.Empty));
        using var headerOnlyElsewhere = host.CreateClient();
        using var tokenInQueryElsewhere = await headerOnlyElsewhere.GetAsync("/v1/api/iserver/accounts?bearer_token=" + Uri.EscapeDataString(user.Token));

        output.WriteLine($"no token {noToken}, no cookie {noCookie}, wrong cookie {wrongCookie}, no session {noSession}, no upgrade {rightButNoUpgrade}, " +
            $"socket without cookie: {socketWithoutCookie?.Message}, token in the query of /iserver/accounts: {tokenInQueryElsewhere.StatusCode}");
        Assert.Equal(HttpStatusCode.Unauthorized, noToken);
        Assert.Equal(HttpStatusCode.Unauthorized, noCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, noSession);
        Assert.Equal(HttpStatusCode.BadRequest, rightButNoUpgrade);
        Assert.NotNull(socketWithoutCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, tokenInQueryElsewhere.StatusCode);
        Assert.Equal(0, host.Control.Stream().Connects);
        Assert.True(host.Control.Stream().RefusedUpgrades >= 4);
    }

    [Fact]
    public async Task Should_greet_with_waiting_then_system_success_act_and_sts_in_binary_utf8_json()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await using var socket = await host.ConnectStreamAsync(user);

        var greeting = await socket.UntilSuccessAsync();
        var act = await socket.NextOnAsync("act");
        var sts = await socket.NextOnAsync("sts");

        foreach (var m in greeting.Append(act).Append(sts))
            output.WriteLine($"{m.Type}: {m.Text}");
        Assert.Equal("{\"message\":\"waiting for session\"}", greeting[0].Text);
        Assert.Equal("alice", greeting[^1].Json!.Value.GetProperty("success").GetString());
        Assert.All(greeting.Append(act).Append(sts), m => Assert.Equal(WebSocketMessageType.Binary, m.Type));
        Assert.Equal(user.AccountId, act.Args.GetProperty("accounts")[0].GetString());
        Assert.True(sts.Args.GetProperty("authenticated").GetBoolean());
        Assert.False(sts.Args.GetProperty("competing").GetBoolean());
        Assert.Equal(1, host.Control.Stream().Users["alice"].Connections);
    }

    [Fact]
    public async Task Should_send_text_frames_when_configured()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:Stream:BinaryFrames"] = "false" });
        using var user = await host.OpenSessionAsync("alice");
        await using var socket = await host.ConnectStreamAsync(user);

        var greeting = await socket.UntilSuccessAsync();

        output.WriteLine(string.Join(", ", greeting.Select(m => m.Type)));
        Assert.All(greeting, m => Assert.Equal(WebSocketMessageType.Text, m.Type));
    }

    [Fact]
    public async Task Should_silently_drop_client_frames_sent_before_the_system_success()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:Stream:SuccessDelay"] = "00:00:00.500" });
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        await using var socket = await host.ConnectStreamAsync(user);

        await socket.SendAsync("sor+{}");
        await socket.SendAsync("tic");
        await socket.UntilSuccessAsync();
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(8314, "MKT", "BUY", 1));
        var early = await DataFrameAsync(socket, TimeSpan.FromMilliseconds(500));
        var afterEarly = host.Control.Stream();
        await socket.SendAsync("sor+{}");
        await socket.SendAsync("tic");
        await WaitForAsync(() => host.Control.Stream().Tics == 1);
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(8314, "MKT", "BUY", 2));
        var late = await socket.NextOnAsync("sor");

        var report = host.Control.Stream();
        output.WriteLine($"before success: {afterEarly.ClientFramesBeforeSuccess} dropped, sor frame after the early subscription: {early?.Text ?? "none"}; " +
            $"after success: tics {report.Tics}, sor frame {late.Text}");
        Assert.Equal(2, afterEarly.ClientFramesBeforeSuccess);
        Assert.Null(early);
        Assert.Equal(1, report.Tics);
        Assert.Equal("2", late.Args[0].GetProperty("totalSize").GetString());
        Assert.Equal(["sor"], report.Users["alice"].Subscriptions);
    }

    [Fact]
    public async Task Should_send_a_heartbeat_every_10_seconds_of_the_simulator_clock()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.UntilSuccessAsync();
        await socket.NextOnAsync("sts");

        host.Time.Advance(TimeSpan.FromSeconds(9.9));
        var early = await socket.NextAsync(TimeSpan.FromMilliseconds(400));
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        var first = await socket.NextAsync();
        var firstAt = host.Control.Now;
        host.Time.Advance(TimeSpan.FromSeconds(10));
        var second = await socket.NextAsync();

        output.WriteLine($"at 9.9 s: {early?.Text ?? "nothing"}; at 10 s: {first?.Text}; at 20 s: {second?.Text}");
        Assert.Null(early);
        Assert.True(first!.IsHeartbeat);
        Assert.Equal(firstAt.ToUnixTimeMilliseconds(), first.Json!.Value.GetProperty("hb").GetInt64());
        Assert.True(second!.IsHeartbeat);
        Assert.Equal(10_000, second.Json!.Value.GetProperty("hb").GetInt64() - first.Json!.Value.GetProperty("hb").GetInt64());
    }

    [Fact]
    public async Task Should_log_the_socket_with_the_path_and_token_fingerprint_never_the_query()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await using (var socket = await host.ConnectStreamAsync(user))
            await socket.UntilSuccessAsync();

        await WaitForAsync(() => host.Control.Requests().Any(r => r.Path == "/v1/api/ws"));
        var entry = host.Control.Requests().Single(r => r.Path == "/v1/api/ws");
        output.WriteLine($"{entry.Method} {entry.Path} {entry.Status} user {entry.UserId} token {entry.Caller}");
        Assert.Equal(101, entry.Status);
        Assert.Equal("alice", entry.UserId);
        Assert.NotNull(entry.Caller);
        Assert.DoesNotContain(user.Token, entry.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_leave_a_waiting_question_answerable_when_a_socket_opens_between_place_and_reply()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        var session = await user.SessionIdAsync();

        var question = await user.PlaceAsync(IbkrUser.Ticket(8314, "MKT", "BUY", 1));
        await using (var socket = await host.ConnectStreamAsync(user, cookie: session))
            await socket.UntilSuccessAsync();
        var answer = await user.ReplyAsync(question.ReplyId);

        output.WriteLine($"question {question.QuestionId}; reply after a socket opened: {answer.Raw}");
        Assert.True(question.IsQuestion, question.Raw);
        Assert.True(answer.IsAccepted || answer.IsQuestion, answer.Raw);
    }

    private static async Task<StreamMessage?> DataFrameAsync(StreamClient socket, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        while (DateTime.UtcNow < until)
        {
            var message = await socket.NextAsync(until - DateTime.UtcNow);
            if (message is null)
                return null;
            if (message.Topic is "sor" or "str")
                return message;
        }

        return null;
    }

    internal static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition(), "condition not met within 5 s");
    }
}

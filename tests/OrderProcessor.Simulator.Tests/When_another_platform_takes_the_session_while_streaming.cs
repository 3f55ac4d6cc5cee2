using System.Net.WebSockets;
using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_another_platform_takes_the_session_while_streaming(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_send_sts_competing_then_close_the_socket()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync();
        await socket.NextOnAsync("sts");

        host.Control.Compete("alice");
        var rest = await socket.RestAsync();

        output.WriteLine($"after compete: {string.Join(" | ", rest.Select(m => m.Text))}; close {socket.CloseStatus} '{socket.CloseText}'");
        var sts = Assert.Single(rest, m => m.Topic == "sts");
        Assert.False(sts.Args.GetProperty("authenticated").GetBoolean());
        Assert.True(sts.Args.GetProperty("competing").GetBoolean());
        Assert.Equal("sts", rest[^1].Topic);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        await When_a_client_opens_the_order_stream.WaitForAsync(() => !host.Control.Stream().Users.ContainsKey("alice"));
        var refused = await Record.ExceptionAsync(() => host.ConnectStreamAsync(user, cookie: "whatever"));
        Assert.NotNull(refused);
    }

    [Fact]
    public async Task Should_close_the_socket_without_sts_when_the_session_is_dropped()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.UntilSuccessAsync();
        await socket.NextOnAsync("sts");

        host.Control.DropSession("alice");
        var rest = await socket.RestAsync();

        output.WriteLine($"after the drop: {rest.Count} frames; close {socket.CloseStatus} '{socket.CloseText}'");
        Assert.DoesNotContain(rest, m => m.Topic == "sts");
        Assert.True(socket.Ended);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task Should_close_the_socket_on_logout_and_on_a_new_init()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await using var first = await host.ConnectStreamAsync(user);
        await first.UntilSuccessAsync();

        await user.InitAsync();
        var closedByInit = await first.EndedWithinAsync();
        await user.WarmUpAccountsAsync();
        await using var second = await host.ConnectStreamAsync(user);
        await second.UntilSuccessAsync();
        await user.PostAsync("/logout");
        var closedByLogout = await second.EndedWithinAsync();

        output.WriteLine($"closed by a new init: {closedByInit} ({first.CloseText}); closed by logout: {closedByLogout} ({second.CloseText})");
        Assert.True(closedByInit);
        Assert.True(closedByLogout);
    }

    [Fact]
    public async Task Should_close_the_socket_at_the_heartbeat_after_the_session_idled_out()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:SessionIdleTimeout"] = "00:00:15" });
        using var user = await host.OpenSessionAsync("alice");
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.UntilSuccessAsync();
        await socket.NextOnAsync("sts");

        host.Time.Advance(TimeSpan.FromSeconds(10));
        var stillAlive = await socket.NextAsync();
        host.Time.Advance(TimeSpan.FromSeconds(10));
        var ended = await socket.EndedWithinAsync();

        output.WriteLine($"at 10 s: {stillAlive?.Text}; at 20 s (idle timeout 15 s, no tickle): ended {ended}, close '{socket.CloseText}'");
        Assert.True(stillAlive!.IsHeartbeat);
        Assert.True(ended);
        Assert.Equal("session ended", socket.CloseText);
    }
}

using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_executions_are_replayed_on_str(ITestOutputHelper output)
{
    private const int Conid = 8314;

    private static async Task<IbkrUser> TraderWithTwoFillsAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        host.Control.PinPrice(Conid, 30m);
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "op-a"));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 150, cOID: "op-b"));
        host.Control.Tick();
        return user;
    }

    private static async Task<List<string>> ReplayAsync(SimulatorHost host, IbkrUser user, bool realtimeOnly = false, int days = 1)
    {
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync(orders: false, realtimeOnly: realtimeOnly, days: days);
        var ids = new List<string>();
        while (await socket.NextAsync(TimeSpan.FromMilliseconds(400)) is { } message)
        {
            if (message.Topic == "str")
                ids.AddRange(message.Args.EnumerateArray().Select(e => e.GetProperty("execution_id").GetString()!));
        }

        return ids;
    }

    [Fact]
    public async Task Should_replay_the_days_executions_on_every_fresh_subscription_and_after_a_reconnect()
    {
        using var host = new SimulatorHost();
        using var user = await TraderWithTwoFillsAsync(host);

        var first = await ReplayAsync(host, user);
        var afterReconnect = await ReplayAsync(host, user);

        output.WriteLine($"first connection: {string.Join(", ", first)}; after reconnecting: {string.Join(", ", afterReconnect)}");
        Assert.Equal(2, first.Count);
        Assert.Equal(first, afterReconnect);
    }

    [Fact]
    public async Task Should_replay_nothing_when_realtime_updates_only_and_still_stream_new_executions()
    {
        using var host = new SimulatorHost();
        using var user = await TraderWithTwoFillsAsync(host);
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync(orders: false, realtimeOnly: true);
        await When_a_client_opens_the_order_stream.WaitForAsync(() => host.Control.Stream().Users["alice"].ExecutionsSubscribed == 1);

        var replayed = await socket.NextAsync(TimeSpan.FromMilliseconds(400));
        while (replayed is not null && replayed.Topic != "str")
            replayed = await socket.NextAsync(TimeSpan.FromMilliseconds(400));
        host.Control.Tick(); // the second slice of the 150 order
        var live = await socket.NextOnAsync("str");

        output.WriteLine($"replayed: {replayed?.Text ?? "nothing"}; live: {live.Text}");
        Assert.Null(replayed);
        var execution = Assert.Single(live.Args.EnumerateArray());
        Assert.Equal("op-b", execution.GetProperty("order_ref").GetString());
        Assert.EndsWith(".02", execution.GetProperty("execution_id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_replay_only_executions_within_the_days_asked_for()
    {
        using var host = new SimulatorHost();
        using var user = await TraderWithTwoFillsAsync(host);
        host.Control.AdvanceClock(TimeSpan.FromHours(25));
        using var nextDay = await host.OpenSessionAsync("alice");

        var oneDay = await ReplayAsync(host, nextDay, days: 1);
        var twoDays = await ReplayAsync(host, nextDay, days: 2);

        output.WriteLine($"a day later: days 1 replays {oneDay.Count}, days 2 replays {twoDays.Count}");
        Assert.Empty(oneDay);
        Assert.Equal(2, twoDays.Count);
    }

    [Fact]
    public async Task Should_split_a_long_replay_into_frames_and_fragments()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?>
        {
            ["Simulator:Stream:ExecutionsPerFrame"] = "2",
            ["Simulator:Stream:FragmentBytes"] = "64",
        });
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        for (var i = 0; i < 5; i++)
            await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        host.Control.Tick();
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync(orders: false);

        var frames = new List<StreamMessage>();
        while (await socket.NextAsync(TimeSpan.FromMilliseconds(400)) is { } message)
        {
            if (message.Topic == "str")
                frames.Add(message);
        }

        output.WriteLine($"{frames.Count} str frames of {string.Join("/", frames.Select(f => f.Args.GetArrayLength()))} executions, fragments {string.Join("/", frames.Select(f => f.Fragments))}");
        Assert.Equal([2, 2, 1], frames.Select(f => f.Args.GetArrayLength()));
        Assert.All(frames, f => Assert.True(f.Fragments > 1));
        user.Dispose();
    }
}

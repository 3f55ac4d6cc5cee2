using System.Text.Json;
using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_orders_change_on_the_stream(ITestOutputHelper output)
{
    private const int Conid = 8314;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        return user;
    }

    private static HashSet<string> FieldsOf(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToHashSet();

    [Fact]
    public async Task Should_send_a_new_order_whole_then_only_what_changed()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 50.25m);
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync();
        await socket.NextOnAsync("sts");
        await WaitSubscribedAsync(host);

        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 10, cOID: "op-1"));
        var full = (await socket.NextOnAsync("sor")).Args;
        host.Control.Tick();
        var fill = await socket.NextOnAsync("sor");
        var execution = await socket.NextOnAsync("str");

        output.WriteLine("full:  " + full.GetRawText());
        output.WriteLine("delta: " + fill.Text);
        output.WriteLine("str:   " + execution.Text);
        var first = Assert.Single(full.EnumerateArray());
        Assert.Equal(JsonValueKind.Number, first.GetProperty("orderId").ValueKind);
        Assert.Equal(orderId, first.GetProperty("orderId").GetInt64());
        Assert.Equal("op-1", first.GetProperty("order_ref").GetString());
        Assert.Equal("Submitted", first.GetProperty("status").GetString());
        Assert.Equal(string.Empty, first.GetProperty("price").GetString());
        Assert.Equal(string.Empty, first.GetProperty("avgPrice").GetString());
        Assert.Equal("10", first.GetProperty("totalSize").GetString());
        Assert.Equal("Market", first.GetProperty("orderType").GetString());
        var delta = Assert.Single(fill.Args.EnumerateArray());
        Assert.Equal(
            new HashSet<string> { "acct", "conid", "orderId", "status", "filledQuantity", "remainingQuantity", "avgPrice", "lastExecutionTime_r" },
            FieldsOf(delta));
        Assert.Equal("Filled", delta.GetProperty("status").GetString());
        Assert.Equal("50.25", delta.GetProperty("avgPrice").GetString());
        var trade = Assert.Single(execution.Args.EnumerateArray());
        Assert.Equal(orderId, trade.GetProperty("order_id").GetInt64());
        Assert.Equal("op-1", trade.GetProperty("order_ref").GetString());
        Assert.Equal("10", trade.GetProperty("size").GetString());
        Assert.Equal("50.25", trade.GetProperty("price").GetString());
        Assert.Equal(JsonValueKind.Number, trade.GetProperty("trade_time_r").ValueKind);
        Assert.Equal("B", trade.GetProperty("side").GetString());
        Assert.Equal(user.AccountId, trade.GetProperty("account").GetString());
    }

    [Fact]
    public async Task Should_send_only_the_identity_when_nothing_visible_changed()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync(executions: false);
        await WaitSubscribedAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 99m));
        await socket.NextOnAsync("sor");

        var same = await user.PostAsync($"/iserver/account/{user.AccountId}/order/{orderId}", IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 99m));
        var identity = await socket.NextOnAsync("sor");
        var cancel = await user.DeleteAsync($"/iserver/account/{user.AccountId}/order/{orderId}");
        var pending = await socket.NextOnAsync("sor");
        host.Control.Tick();
        var cancelled = await socket.NextOnAsync("sor");

        output.WriteLine("modify with the same values: " + identity.Text);
        output.WriteLine("cancel requested: " + pending.Text);
        output.WriteLine("cancelled: " + cancelled.Text);
        Assert.True(same.IsAccepted, same.Raw);
        Assert.Equal(new HashSet<string> { "acct", "conid", "orderId" }, FieldsOf(Assert.Single(identity.Args.EnumerateArray())));
        Assert.Equal("PendingCancel", pending.Args[0].GetProperty("status").GetString());
        Assert.Equal("Cancelled", cancelled.Args[0].GetProperty("status").GetString());
        Assert.Contains("order", cancel.Raw, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Should_not_replay_orders_that_existed_before_the_subscription_and_send_their_changes_sparse()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 99m));
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync(executions: false);
        await WaitSubscribedAsync(host);

        var replayed = await socket.NextAsync(TimeSpan.FromMilliseconds(400));
        host.Control.PinPrice(Conid, 98m);
        host.Control.Tick();
        var fill = await socket.NextOnAsync("sor");

        output.WriteLine($"after subscribing: {replayed?.Text ?? "nothing"}; after the fill: {fill.Text}");
        Assert.True(replayed is null || replayed.Topic is not "sor", replayed?.Text);
        var delta = Assert.Single(fill.Args.EnumerateArray());
        Assert.Equal(orderId, delta.GetProperty("orderId").GetInt64());
        Assert.False(delta.TryGetProperty("totalSize", out _), "an order known before the subscription must come as a delta");
        Assert.Equal("Filled", delta.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Should_carry_several_orders_in_one_frame_and_each_slice_of_a_partial_fill_as_its_own_execution()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 20m);
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync();
        await WaitSubscribedAsync(host);
        var small = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 5));
        var large = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "SELL", 250));
        await socket.NextOnAsync("sor");
        await socket.NextOnAsync("sor");

        host.Control.Tick();
        var both = await socket.NextOnAsync("sor");
        var firstExecutions = await socket.NextOnAsync("str");
        host.Control.PinPrice(Conid, 21m);
        host.Control.Tick();
        var rest = await socket.NextOnAsync("sor");
        var secondExecutions = await socket.NextOnAsync("str");

        output.WriteLine("tick 1 sor: " + both.Text);
        output.WriteLine("tick 1 str: " + firstExecutions.Text);
        output.WriteLine("tick 2 sor: " + rest.Text);
        output.WriteLine("tick 2 str: " + secondExecutions.Text);
        Assert.Equal([small, large], both.Args.EnumerateArray().Select(e => e.GetProperty("orderId").GetInt64()));
        Assert.Equal(2, firstExecutions.Args.GetArrayLength());
        Assert.Equal("125", both.Args[1].GetProperty("filledQuantity").GetString());
        Assert.False(both.Args[1].TryGetProperty("status", out _), "a partial fill leaves the status Submitted: not in the delta");
        Assert.Equal("Filled", rest.Args[0].GetProperty("status").GetString());
        var second = Assert.Single(secondExecutions.Args.EnumerateArray());
        Assert.Equal("125", second.GetProperty("size").GetString());
        Assert.Equal("21.00", second.GetProperty("price").GetString());
        Assert.NotEqual(firstExecutions.Args[1].GetProperty("execution_id").GetString(), second.GetProperty("execution_id").GetString());
    }

    [Fact]
    public async Task Should_stream_the_fill_before_the_place_answer_when_market_orders_fill_on_accept()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:FillMarketOrdersOnAccept"] = "true" });
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 42m);
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync();
        await WaitSubscribedAsync(host);

        var answer = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 3, cOID: "op-fast"));
        var accepted = await socket.NextOnAsync("sor");
        var filled = await socket.NextOnAsync("sor");
        var execution = await socket.NextOnAsync("str");

        output.WriteLine("place answer: " + answer.Raw);
        output.WriteLine("sor: " + accepted.Text);
        output.WriteLine("sor: " + filled.Text);
        output.WriteLine("str: " + execution.Text);
        Assert.True(answer.IsAccepted, answer.Raw);
        Assert.Equal("Submitted", answer.Body[0].GetProperty("order_status").GetString());
        Assert.Equal("Submitted", accepted.Args[0].GetProperty("status").GetString());
        Assert.Equal("Filled", filled.Args[0].GetProperty("status").GetString());
        Assert.Equal("op-fast", execution.Args[0].GetProperty("order_ref").GetString());
        Assert.Equal("Filled", Assert.Single(host.Control.Ledger()).Status);
    }

    [Fact]
    public async Task Should_send_order_ids_of_deltas_as_strings_when_configured()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:Stream:StringOrderIdsInDeltas"] = "true" });
        using var user = await TraderAsync(host);
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync(executions: false);
        await WaitSubscribedAsync(host);

        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        var whole = await socket.NextOnAsync("sor");
        host.Control.Tick();
        var delta = await socket.NextOnAsync("sor");

        output.WriteLine($"first: orderId {whole.Args[0].GetProperty("orderId").GetRawText()}; delta: {delta.Text}");
        Assert.Equal(JsonValueKind.Number, whole.Args[0].GetProperty("orderId").ValueKind);
        Assert.Equal(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), delta.Args[0].GetProperty("orderId").GetString());
    }

    [Fact]
    public async Task Should_stream_fates_set_through_the_control_api()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);
        await using var socket = await host.ConnectStreamAsync(user);
        await socket.SubscribeAsync();
        await WaitSubscribedAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 99m));
        await socket.NextOnAsync("sor");

        host.Control.Fill(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture), 4m, 98.5m);
        var partial = await socket.NextOnAsync("sor");
        var execution = await socket.NextOnAsync("str");
        host.Control.MakeInactive(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var inactive = await socket.NextOnAsync("sor");

        output.WriteLine($"{partial.Text}\n{execution.Text}\n{inactive.Text}");
        Assert.Equal("4", partial.Args[0].GetProperty("filledQuantity").GetString());
        Assert.Equal("98.50", execution.Args[0].GetProperty("price").GetString());
        Assert.Equal("Inactive", inactive.Args[0].GetProperty("status").GetString());
    }

    internal static Task WaitSubscribedAsync(SimulatorHost host, string userId = "alice", bool executions = false) =>
        When_a_client_opens_the_order_stream.WaitForAsync(() =>
            host.Control.Stream().Users.TryGetValue(userId, out var u) && u.OrdersSubscribed + u.ExecutionsSubscribed > 0
            && host.Control.Stream().ClientMessagesByKind.Values.Sum() >= 1);
}

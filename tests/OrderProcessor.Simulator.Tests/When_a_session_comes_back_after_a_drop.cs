using System.Net;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_session_comes_back_after_a_drop
{
    private const int Conid = 1618;

    [Fact]
    public async Task Should_list_only_orders_that_work_or_ended_in_this_session_and_keep_gap_fills_in_the_trades()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:FirstLiveOrdersCallEmpty"] = "false" });
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 10m);
        var early = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "early"));
        var gap = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 9.9m, cOID: "during-gap"));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 5m, cOID: "still-working"));
        host.Control.Tick();
        host.Time.Advance(TimeSpan.FromSeconds(1));

        host.Control.DropSession("alice");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        host.Control.PinPrice(Conid, 9.8m);
        host.Control.Tick();
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        var live = await user.GetAsync("/iserver/account/orders");
        var earlyStatus = await user.GetAsync($"/iserver/account/order/status/{early}");
        var gapStatus = await user.GetAsync($"/iserver/account/order/status/{gap}");
        var trades = await user.GetAsync("/iserver/account/trades");

        // IBKR lists working orders always, ended ones only when they ended in the current session: the fill during the
        // gap is not listed, its status answers 503, and only the trades show it.
        var order = Assert.Single(live.Body.GetProperty("orders").EnumerateArray());
        Assert.Equal("still-working", order.GetProperty("order_ref").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, earlyStatus.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gapStatus.Status);
        Assert.Equal(["early", "during-gap"], trades.Body.EnumerateArray().Select(t => t.GetProperty("order_ref").GetString()));
    }

    [Fact]
    public async Task Should_list_orders_that_ended_between_sessions_when_the_kinder_legacy_switch_is_on()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?>
        {
            ["Simulator:FirstLiveOrdersCallEmpty"] = "false",
            ["Simulator:LiveOrdersIncludeEndedBetweenSessions"] = "true",
        });
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 10m);
        var early = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "early"));
        var gap = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 9.9m, cOID: "during-gap"));
        host.Control.Tick();
        host.Time.Advance(TimeSpan.FromSeconds(1));

        host.Control.DropSession("alice");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        host.Control.PinPrice(Conid, 9.8m);
        host.Control.Tick();
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        var live = await user.GetAsync("/iserver/account/orders");
        var earlyStatus = await user.GetAsync($"/iserver/account/order/status/{early}");
        var gapStatus = await user.GetAsync($"/iserver/account/order/status/{gap}");

        var order = Assert.Single(live.Body.GetProperty("orders").EnumerateArray());
        Assert.Equal("during-gap", order.GetProperty("order_ref").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, earlyStatus.Status);
        Assert.Equal("Filled", gapStatus.Body.GetProperty("order_status").GetString());
    }

    [Fact]
    public async Task Should_accept_every_order_of_many_users_placing_at_the_same_time()
    {
        using var host = new SimulatorHost();
        var users = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => host.OpenSessionAsync("user-" + i)));
        await Task.WhenAll(users.Select(u => u.SuppressAsync("o10151")));

        var answers = await Task.WhenAll(users.SelectMany(u => Enumerable.Range(0, 10).Select(async n =>
        {
            await Task.Yield();
            return await u.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: $"{u.UserId}-{n}"));
        })));
        host.Control.Tick();

        Assert.All(answers, a => Assert.True(a.IsAccepted, a.Raw));
        var ledger = host.Control.Ledger();
        Assert.Equal(80, ledger.Count);
        Assert.Equal(80, ledger.Select(e => e.OrderId).Distinct().Count());
        Assert.All(ledger, e => Assert.Equal("Filled", e.Status));
        foreach (var u in users)
            u.Dispose();
    }
}

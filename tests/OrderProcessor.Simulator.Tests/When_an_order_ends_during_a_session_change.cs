using System.Net;
using System.Net.Http.Json;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>
/// An order that fills or is cancelled while its user has no session (between a drop and the next init, or in the instant
/// another token takes the session over) is never listed in the next session; its fills are in the trades.
/// </summary>
public sealed class When_an_order_ends_during_a_session_change
{
    private const int Conid = 9090;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);
        return user;
    }

    [Fact]
    public async Task Should_fill_an_order_when_the_session_is_dropped_and_show_the_fill_only_in_the_trades()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:FirstLiveOrdersCallEmpty"] = "false" });
        using var user = await TraderAsync(host);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 3, price: 99m, cOID: "gap-fill"));

        var deferred = host.Control.Fill("gap-fill", whenNoSession: true);
        var beforeDrop = Assert.Single(host.Control.Ledger()).Status;
        host.Control.DropSession("alice");
        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        var live = await user.GetAsync("/iserver/account/orders");
        var trades = await user.GetAsync("/iserver/account/trades");

        Assert.Equal(FateOutcome.Deferred, deferred);
        Assert.Equal("Submitted", beforeDrop);
        Assert.Equal("Filled", Assert.Single(host.Control.Ledger()).Status);
        Assert.Empty(live.Body.GetProperty("orders").EnumerateArray());
        var trade = Assert.Single(trades.Body.EnumerateArray());
        Assert.Equal(("gap-fill", 3m), (trade.GetProperty("order_ref").GetString(), trade.GetProperty("size").GetDecimal()));
    }

    [Fact]
    public async Task Should_cancel_an_order_in_the_instant_another_token_takes_the_session_over()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:FirstLiveOrdersCallEmpty"] = "false" });
        using var first = await TraderAsync(host);
        var orderId = await first.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 3, price: 99m, cOID: "gap-cancel"));
        using var second = await host.SignInAsync("alice");
        using var control = host.CreateClient();

        using var deferred = await control.PostAsJsonAsync("/__sim/orders/gap-cancel/exchange-cancel", new { whenNoSession = true });
        await second.InitAsync(compete: true);
        await second.WarmUpAccountsAsync();
        var live = await second.GetAsync("/iserver/account/orders");
        var status = await second.GetAsync($"/iserver/account/order/status/{orderId}");

        Assert.Equal(HttpStatusCode.Accepted, deferred.StatusCode);
        Assert.Equal("Cancelled", Assert.Single(host.Control.Ledger()).Status);
        Assert.Empty(live.Body.GetProperty("orders").EnumerateArray());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status.Status);
    }

    [Fact]
    public async Task Should_end_the_order_at_once_when_its_user_has_no_session_already()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 3, price: 99m, cOID: "no-session"));
        host.Control.DropSession("alice");

        var outcome = host.Control.MakeInactive("no-session", whenNoSession: true);

        Assert.Equal(FateOutcome.Done, outcome);
        Assert.Equal("Inactive", Assert.Single(host.Control.Ledger()).Status);
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>IBKR's live-order list lags behind placing, may hold an order twice, and starts empty in a new session.</summary>
public sealed class When_live_orders_lag_or_repeat
{
    private const int Conid = 2718;

    private static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?> { ["Simulator:FirstLiveOrdersCallEmpty"] = "false" };
        foreach (var (key, value) in extra)
            settings["Simulator:" + key] = value;
        return settings;
    }

    [Fact]
    public async Task Should_not_list_a_just_placed_order_until_the_lag_has_passed()
    {
        using var host = new SimulatorHost(Settings(("LiveOrdersListingLag", "00:00:03")));
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "lagging"));

        var atOnce = await RefsAsync(user);
        host.Time.Advance(TimeSpan.FromSeconds(2.9));
        var almost = await RefsAsync(user);
        host.Time.Advance(TimeSpan.FromSeconds(0.1));
        var listed = await RefsAsync(user);

        Assert.Empty(atOnce);
        Assert.Empty(almost);
        Assert.Equal(["lagging"], listed);
    }

    [Fact]
    public async Task Should_not_list_an_order_that_filled_at_once_until_the_lag_has_passed()
    {
        using var host = new SimulatorHost(Settings());
        host.Control.SetBehaviour(host.Control.Behaviour with { LiveOrdersListingLag = TimeSpan.FromSeconds(2) });
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "quick"));
        host.Control.Tick();

        var atOnce = await RefsAsync(user);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        var listed = await RefsAsync(user);

        Assert.Empty(atOnce);
        Assert.Equal(["quick"], listed);
    }

    [Fact]
    public async Task Should_list_every_order_twice_when_asked()
    {
        using var host = new SimulatorHost(Settings(("LiveOrdersRepeatEntries", "true")));
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);
        var first = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "one"));
        var second = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 2, price: 99m, cOID: "two"));

        var live = await user.GetAsync("/iserver/account/orders");

        var ids = live.Body.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("orderId").GetInt64()).ToList();
        Assert.Equal([first, first, second, second], ids);
    }

    [Fact]
    public async Task Should_answer_the_first_call_of_every_session_empty_when_configured()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "working"));

        var first = await RefsAsync(user);
        var second = await RefsAsync(user);
        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        var firstOfNewSession = await RefsAsync(user);

        Assert.Empty(first);
        Assert.Equal(["working"], second);
        Assert.Empty(firstOfNewSession);
    }

    [Fact]
    public async Task Should_list_working_orders_of_earlier_sessions_but_ended_ones_only_from_this_session()
    {
        using var host = new SimulatorHost(Settings());
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 100m);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: "working"));
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "filled-before"));
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 95m, cOID: "cancelled-before"));
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 94m, cOID: "inactive-before"));
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 93m, cOID: "inactive-now"));
        host.Control.Tick();
        host.Control.CancelAtExchange("cancelled-before");
        host.Control.MakeInactive("inactive-before");
        var sameSession = await RefsAsync(user);
        host.Time.Advance(TimeSpan.FromSeconds(1));

        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        host.Control.MakeInactive("inactive-now");
        var nextSession = await RefsAsync(user);

        Assert.Equal(["working", "filled-before", "cancelled-before", "inactive-before", "inactive-now"], sameSession);
        Assert.Equal(["working", "inactive-now"], nextSession);
    }

    [Fact]
    public async Task Should_switch_lag_and_repeats_over_http_and_reset_them()
    {
        using var host = new SimulatorHost(Settings());
        using var control = host.CreateClient();

        using var patched = await control.PatchAsJsonAsync("/__sim/behaviour", new { liveOrdersListingLag = "00:00:05", liveOrdersRepeatEntries = true });
        var behaviour = await control.GetFromJsonAsync<JsonElement>("/__sim/behaviour");
        using var refused = await control.PatchAsJsonAsync("/__sim/behaviour", new { liveOrdersListingLag = "later" });
        using var reset = await control.DeleteAsync("/__sim/behaviour");

        Assert.Equal(System.Net.HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), TimeSpan.Parse(behaviour.GetProperty("liveOrdersListingLag").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(behaviour.GetProperty("liveOrdersRepeatEntries").GetBoolean());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Equal(TimeSpan.Zero, host.Control.Behaviour.LiveOrdersListingLag);
        Assert.False(host.Control.Behaviour.LiveOrdersRepeatEntries);
    }

    private static async Task<IReadOnlyList<string?>> RefsAsync(IbkrUser user)
    {
        var live = await user.GetAsync("/iserver/account/orders");
        return [.. live.Body.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("order_ref").GetString())];
    }
}

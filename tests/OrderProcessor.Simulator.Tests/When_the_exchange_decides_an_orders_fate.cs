using System.Net;
using System.Net.Http.Json;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>
/// IBKR's states a client must handle without asking for them: PreSubmitted, Inactive (refused by the destination after
/// acceptance), Cancelled by the exchange, fills and partial fills, each on demand of the control API.
/// </summary>
public sealed class When_the_exchange_decides_an_orders_fate
{
    private const int Conid = 6502;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 100m);
        return user;
    }

    [Fact]
    public async Task Should_make_an_accepted_order_inactive()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 5, price: 99m, cOID: "refused-later"));

        var outcome = host.Control.MakeInactive("refused-later");
        var status = await user.GetAsync($"/iserver/account/order/status/{orderId}");

        Assert.Equal(FateOutcome.Done, outcome);
        Assert.Equal("Inactive", status.Body.GetProperty("order_status").GetString());
        Assert.Equal("Order Inactive", status.Body.GetProperty("order_status_description").GetString());
        Assert.Equal("Inactive", Assert.Single(host.Control.Ledger()).Status);
    }

    [Fact]
    public async Task Should_cancel_an_order_at_the_exchange_without_a_cancel_request()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 5, price: 99m));

        var outcome = host.Control.CancelAtExchange(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var again = host.Control.CancelAtExchange(orderId.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(FateOutcome.Done, outcome);
        Assert.Equal(FateOutcome.AlreadyEnded, again);
        Assert.Equal("Cancelled", Assert.Single(host.Control.Ledger()).Status);
        Assert.DoesNotContain(host.Control.Requests(), r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Should_cancel_what_an_ioc_order_did_not_fill_at_the_exchange()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 5, price: 95m, tif: "IOC", cOID: "ioc"));

        host.Control.Tick();

        var entry = Assert.Single(host.Control.Ledger());
        Assert.Equal(("Cancelled", 0m), (entry.Status, entry.FilledQuantity));
    }

    [Fact]
    public async Task Should_fill_part_of_an_order_then_the_rest_on_demand()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 90m, cOID: "by-hand"));

        host.Control.Fill("by-hand", quantity: 4, price: 89m);
        var partly = Assert.Single(host.Control.Ledger());
        host.Control.Fill("by-hand");
        var filled = Assert.Single(host.Control.Ledger());
        var trades = await user.GetAsync("/iserver/account/trades");

        Assert.Equal(("Submitted", 4m, 89m), (partly.Status, partly.FilledQuantity, partly.AvgPrice!.Value));
        Assert.Equal(("Filled", 10m, 95.6m), (filled.Status, filled.FilledQuantity, filled.AvgPrice!.Value));
        Assert.Equal([4m, 6m], trades.Body.EnumerateArray().Select(t => t.GetProperty("size").GetDecimal()));
    }

    [Fact]
    public async Task Should_start_stop_orders_and_bracket_children_presubmitted_and_cancel_waiting_children_of_an_inactive_parent()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var stop = await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "STP", "SELL", 1, price: 90m, cOID: "stop"));
        var bracket = await user.PlaceConfirmedAsync(
            IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "parent"),
            IbkrUser.Ticket(Conid, "LMT", "SELL", 1, price: 102m, cOID: "child", parentId: "parent"));

        host.Control.MakeInactive("parent");
        host.Control.Tick();

        Assert.Equal("PreSubmitted", stop.Body[0].GetProperty("order_status").GetString());
        Assert.Equal(["Submitted", "PreSubmitted"], bracket.Body.EnumerateArray().Select(e => e.GetProperty("order_status").GetString()));
        Assert.Equal("Cancelled", host.Control.Ledger().Single(l => l.COID == "child").Status);
    }

    [Fact]
    public async Task Should_decide_fates_over_http_by_order_id_or_cOID()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        using var control = host.CreateClient();
        var first = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 2, price: 90m, cOID: "first"));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 2, price: 90m, cOID: "second"));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 2, price: 90m, cOID: "third"));

        using var fill = await control.PostAsJsonAsync($"/__sim/orders/{first}/fill", new { quantity = 1 });
        using var inactive = await control.PostAsync("/__sim/orders/second/inactive", null);
        using var cancelled = await control.PostAsync("/__sim/orders/third/exchange-cancel", null);
        using var unknown = await control.PostAsync("/__sim/orders/nobody/inactive", null);
        using var ended = await control.PostAsync("/__sim/orders/third/inactive", null);
        using var invalid = await control.PostAsJsonAsync("/__sim/orders/first/fill", new { quantity = -1 });

        Assert.Equal(HttpStatusCode.NoContent, fill.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, inactive.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, cancelled.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, ended.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["Submitted", "Inactive", "Cancelled"], host.Control.Ledger().Select(l => l.Status));
        Assert.Equal(1m, host.Control.Ledger()[0].FilledQuantity);
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_an_order_is_followed_cancelled_or_modified
{
    private const int Conid = 4815;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 100m);
        return user;
    }

    [Fact]
    public async Task Should_answer_the_first_live_orders_call_of_a_session_empty_then_list_the_orders()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 3, cOID: "ref-7"));
        host.Control.Tick();

        var first = await user.GetAsync("/iserver/account/orders");
        var second = await user.GetAsync("/iserver/account/orders");

        Assert.Empty(first.Body.GetProperty("orders").EnumerateArray());
        var order = Assert.Single(second.Body.GetProperty("orders").EnumerateArray());
        Assert.True(second.Body.GetProperty("snapshot").GetBoolean());
        Assert.Equal(JsonValueKind.Number, order.GetProperty("orderId").ValueKind);
        Assert.Equal(orderId, order.GetProperty("orderId").GetInt64());
        Assert.Equal("ref-7", order.GetProperty("order_ref").GetString());
        Assert.Equal("Filled", order.GetProperty("status").GetString());
        Assert.Equal("3", order.GetProperty("filledQuantity").GetString());
        Assert.Equal("0", order.GetProperty("remainingQuantity").GetString());
        Assert.Equal("100", order.GetProperty("avgPrice").GetString());
        Assert.Equal(user.AccountId, order.GetProperty("acct").GetString());
        Assert.Equal(Conid.ToString(CultureInfo.InvariantCulture), order.GetProperty("conid").GetString());
        Assert.False(string.IsNullOrEmpty(order.GetProperty("lastExecutionTime_r").GetString()));
    }

    [Fact]
    public async Task Should_answer_empty_when_forced_and_full_on_the_next_call()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:FirstLiveOrdersCallEmpty"] = "false" });
        using var user = await TraderAsync(host);
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m));

        var normal = await user.GetAsync("/iserver/account/orders");
        var forced = await user.GetAsync("/iserver/account/orders?force=true");
        var next = await user.GetAsync("/iserver/account/orders");
        var filtered = await user.GetAsync("/iserver/account/orders?filters=filled,cancelled");

        Assert.Single(normal.Body.GetProperty("orders").EnumerateArray());
        Assert.Empty(forced.Body.GetProperty("orders").EnumerateArray());
        Assert.Single(next.Body.GetProperty("orders").EnumerateArray());
        Assert.Empty(filtered.Body.GetProperty("orders").EnumerateArray());
    }

    [Fact]
    public async Task Should_report_the_status_of_one_order()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "SELL", 7));
        host.Control.Tick();

        var status = await user.GetAsync($"/iserver/account/order/status/{orderId}");
        var unknown = await user.GetAsync("/iserver/account/order/status/12345");

        Assert.Equal(orderId, status.Body.GetProperty("order_id").GetInt64());
        Assert.Equal("Filled", status.Body.GetProperty("order_status").GetString());
        Assert.Equal("7", status.Body.GetProperty("cum_fill").GetString());
        Assert.Equal("7", status.Body.GetProperty("total_size").GetString());
        Assert.Equal("100", status.Body.GetProperty("average_price").GetString());
        Assert.Equal("SELL", status.Body.GetProperty("side").GetString());
        Assert.True(status.Body.GetProperty("cannot_cancel_order").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
    }

    [Fact]
    public async Task Should_submit_a_cancel_and_carry_it_out_on_the_next_tick()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 99m));

        var cancel = await user.DeleteAsync($"/iserver/account/{user.AccountId}/order/{orderId}");
        var pending = Assert.Single(host.Control.Ledger()).Status;
        host.Control.PinPrice(Conid, 98m);
        host.Control.Tick();

        Assert.Equal("Request was submitted", cancel.Body.GetProperty("msg").GetString());
        Assert.Equal(orderId.ToString(CultureInfo.InvariantCulture), cancel.Body.GetProperty("order_id").GetString());
        Assert.Equal("PendingCancel", pending);
        var entry = Assert.Single(host.Control.Ledger());
        Assert.Equal("Cancelled", entry.Status);
        Assert.Equal(0m, entry.FilledQuantity);
    }

    [Fact]
    public async Task Should_leave_an_order_filled_when_the_cancel_comes_too_late()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 10));
        host.Control.Tick();

        var cancel = await user.DeleteAsync($"/iserver/account/{user.AccountId}/order/{orderId}");
        host.Control.Tick();

        Assert.Equal("Request was submitted", cancel.Body.GetProperty("msg").GetString());
        Assert.Equal("Filled", Assert.Single(host.Control.Ledger()).Status);
    }

    [Fact]
    public async Task Should_answer_that_an_unknown_order_does_not_exist()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var cancel = await user.DeleteAsync($"/iserver/account/{user.AccountId}/order/123456");

        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.Equal("OrderID 123456 doesn't exist", cancel.Error);
    }

    [Fact]
    public async Task Should_modify_the_limit_price_so_the_order_fills()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 98m));

        var modified = await user.PostAsync(
            $"/iserver/account/{user.AccountId}/order/{orderId}", IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 100.5m));
        host.Control.Tick();

        Assert.True(modified.IsAccepted, modified.Raw);
        Assert.Equal(orderId.ToString(CultureInfo.InvariantCulture), modified.Body[0].GetProperty("order_id").GetString());
        var entry = Assert.Single(host.Control.Ledger());
        Assert.Equal(100.5m, entry.Price);
        Assert.Equal("Filled", entry.Status);
    }

    [Fact]
    public async Task Should_ask_o163_when_the_modified_price_is_far_and_refuse_an_array_body()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 98m));
        var path = $"/iserver/account/{user.AccountId}/order/{orderId}";

        var question = await user.PostAsync(path, IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 90m));
        var accepted = await user.ReplyAsync(question.ReplyId);
        var array = await user.PostAsync(path, "[" + IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 91m) + "]");

        Assert.Equal("o163", question.QuestionId);
        Assert.True(accepted.IsAccepted, accepted.Raw);
        Assert.Equal(90m, Assert.Single(host.Control.Ledger()).Price);
        Assert.Equal(HttpStatusCode.InternalServerError, array.Status);
    }
}

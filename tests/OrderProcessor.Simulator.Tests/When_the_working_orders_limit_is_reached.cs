using System.Net;
using System.Net.Http.Json;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

/// <summary>
/// "IB allows up to 20 active orders per contract per side per account": the 21st working order of an account, conid
/// and side is refused as IBKR refuses an order (200 <c>{"error"}</c>); another side, contract or account is not
/// affected, and a cancel or a fill frees a slot.
/// </summary>
public sealed class When_the_working_orders_limit_is_reached(ITestOutputHelper output)
{
    private const int Conid = 4242;
    private const int OtherConid = 4343;
    private const string Text = "Order rejected - reason: the number of working orders for this contract, side and account exceeds the limit of 20.";

    [Fact]
    public async Task Should_refuse_the_21st_working_order_of_one_account_conid_and_side_only()
    {
        using var host = new SimulatorHost();
        using var alice = await host.OpenSessionAsync("alice");
        using var bob = await host.OpenSessionAsync("bob");
        await alice.SuppressAsync("o10151", "o163");
        await bob.SuppressAsync("o10151", "o163");
        host.Control.PinPrice(Conid, 100m);
        host.Control.PinPrice(OtherConid, 100m);
        var ids = new List<long>();
        for (var i = 0; i < 20; i++)
            ids.Add(await alice.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: $"buy-{i}")));

        var refused = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: "buy-20"));
        var otherSide = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "SELL", 1, price: 110m, cOID: "sell-0"));
        var otherContract = await alice.PlaceAsync(IbkrUser.Ticket(OtherConid, "LMT", "BUY", 1, price: 90m, cOID: "other-0"));
        var otherAccount = await bob.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: "bob-0"));
        var modify = await alice.PostAsync($"/iserver/account/{alice.AccountId}/order/{ids[0]}", IbkrUser.Ticket(Conid, "LMT", "BUY", 2, price: 91m, cOID: "buy-0"));

        output.WriteLine($"21st BUY {(int)refused.Status} {refused.Raw}");
        output.WriteLine($"SELL {otherSide.IsAccepted}, other conid {otherContract.IsAccepted}, other account {otherAccount.IsAccepted}, modify of a working one {modify.Raw}");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal(Text, refused.Error);
        Assert.DoesNotContain(host.Control.Ledger(), e => e.COID == "buy-20");
        Assert.True(otherSide.IsAccepted, otherSide.Raw);
        Assert.True(otherContract.IsAccepted, otherContract.Raw);
        Assert.True(otherAccount.IsAccepted, otherAccount.Raw);
        Assert.Null(modify.Error);

        // A cancel frees a slot once carried out (the next tick); so does a fill.
        var cancel = await alice.DeleteAsync($"/iserver/account/{alice.AccountId}/order/{ids[0]}");
        var whilePendingCancel = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: "buy-21"));
        host.Control.Tick();
        var afterCancel = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: "buy-22"));
        var full = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: "buy-23"));
        Assert.Equal(FateOutcome.Done, host.Control.Fill("buy-1"));
        var afterFill = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: "buy-24"));

        output.WriteLine($"cancel {cancel.Raw}; while PendingCancel {whilePendingCancel.Error}; after the cancel {afterCancel.IsAccepted}; then {full.Error}; after a fill {afterFill.IsAccepted}");
        Assert.Equal(Text, whilePendingCancel.Error);
        Assert.True(afterCancel.IsAccepted, afterCancel.Raw);
        Assert.Equal(Text, full.Error);
        Assert.True(afterFill.IsAccepted, afterFill.Raw);
    }

    [Fact]
    public async Task Should_count_every_ticket_of_a_group_and_refuse_the_whole_request()
    {
        using var host = new SimulatorHost();
        using var alice = await host.OpenSessionAsync("alice");
        await alice.SuppressAsync("o10151", "o163");
        host.Control.PinPrice(Conid, 100m);
        for (var i = 0; i < 19; i++)
            await alice.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: $"buy-{i}"));

        var oca = await alice.PlaceAsync(
            IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 89m, cOID: "oca-1", isSingleGroup: true),
            IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 88m, cOID: "oca-2", isSingleGroup: true));
        var last = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m, cOID: "buy-19"));

        output.WriteLine($"19 working + an OCA pair: {oca.Raw}; a single 20th: {last.IsAccepted}");
        Assert.Equal(Text, oca.Error);
        Assert.DoesNotContain(host.Control.Ledger(), e => e.COID is "oca-1" or "oca-2");
        Assert.True(last.IsAccepted, last.Raw);
    }

    [Fact]
    public async Task Should_take_the_limit_and_text_from_the_configuration_and_the_behaviour_switch()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?>
        {
            ["Simulator:MaxWorkingOrdersPerContractSide"] = "2",
            ["Simulator:WorkingOrdersLimitText"] = "too many working orders (max {limit})",
        });
        using var alice = await host.OpenSessionAsync("alice");
        await alice.SuppressAsync("o10151", "o163");
        host.Control.PinPrice(Conid, 100m);
        await alice.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m));
        await alice.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m));
        var third = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m));
        using var http = host.CreateClient();
        using var off = await http.PatchAsJsonAsync("/__sim/behaviour", new { maxWorkingOrdersPerContractSide = 0 });
        var withoutLimit = await alice.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 90m));
        using var negative = await http.PatchAsJsonAsync("/__sim/behaviour", new { maxWorkingOrdersPerContractSide = -1 });

        output.WriteLine($"limit 2: third {third.Raw}; switched off: {withoutLimit.IsAccepted}; -1 → {(int)negative.StatusCode}");
        Assert.Equal("too many working orders (max 2)", third.Error);
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        Assert.True(withoutLimit.IsAccepted, withoutLimit.Raw);
        Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
    }
}

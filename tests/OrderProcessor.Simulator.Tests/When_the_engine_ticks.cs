using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_the_engine_ticks
{
    private const int Conid = 8314;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        return user;
    }

    [Fact]
    public async Task Should_fill_a_market_order_on_the_next_tick_at_the_reference_price()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 50.25m);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 10));
        var before = Assert.Single(host.Control.Ledger());
        host.Control.Tick();
        var after = Assert.Single(host.Control.Ledger());

        Assert.Equal("Submitted", before.Status);
        Assert.Equal("Filled", after.Status);
        Assert.Equal(10m, after.FilledQuantity);
        Assert.Equal(50.25m, after.AvgPrice);
    }

    [Fact]
    public async Task Should_fill_an_order_above_100_in_two_slices_with_a_partial_fill_between()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 20m);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "SELL", 250));
        host.Control.Tick();
        var partial = Assert.Single(host.Control.Ledger());
        host.Control.PinPrice(Conid, 21m);
        host.Control.Tick();
        var full = Assert.Single(host.Control.Ledger());

        Assert.Equal("Submitted", partial.Status);
        Assert.Equal(125m, partial.FilledQuantity);
        Assert.Equal("Filled", full.Status);
        Assert.Equal(250m, full.FilledQuantity);
        Assert.Equal(20.5m, full.AvgPrice);
    }

    [Fact]
    public async Task Should_fill_a_limit_order_only_when_the_price_crosses_its_limit()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 99m));
        host.Control.Tick();
        var waiting = Assert.Single(host.Control.Ledger());
        host.Control.PinPrice(Conid, 98.5m);
        host.Control.Tick();
        var filled = Assert.Single(host.Control.Ledger());

        Assert.Equal("Submitted", waiting.Status);
        Assert.Equal(0m, waiting.FilledQuantity);
        Assert.Equal("Filled", filled.Status);
        Assert.Equal(98.5m, filled.AvgPrice);
    }

    [Fact]
    public async Task Should_trigger_a_stop_order_when_the_price_falls_through_it()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);

        var placed = await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "STP", "SELL", 5, price: 95m));
        host.Control.Tick();
        var waiting = Assert.Single(host.Control.Ledger());
        host.Control.PinPrice(Conid, 94m);
        host.Control.Tick();

        Assert.Equal("PreSubmitted", placed.Body[0].GetProperty("order_status").GetString());
        Assert.Equal("PreSubmitted", waiting.Status);
        Assert.Equal("Filled", Assert.Single(host.Control.Ledger()).Status);
    }

    [Fact]
    public async Task Should_work_a_stop_limit_order_as_a_limit_once_its_stop_is_hit()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "STOP_LIMIT", "SELL", 5, price: 94.5m, auxPrice: 95m));
        host.Control.PinPrice(Conid, 94m);
        host.Control.Tick(); // stop hit, but the price is below the limit
        var triggered = Assert.Single(host.Control.Ledger());
        host.Control.PinPrice(Conid, 94.6m);
        host.Control.Tick();
        var filled = Assert.Single(host.Control.Ledger());

        Assert.Equal("Submitted", triggered.Status);
        Assert.Equal(0m, triggered.FilledQuantity);
        Assert.Equal("Filled", filled.Status);
        Assert.Equal(94.6m, filled.AvgPrice);
    }

    [Fact]
    public async Task Should_activate_bracket_children_after_the_parent_fills_and_cancel_the_other_child()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);

        var placed = await user.PlaceConfirmedAsync(
            IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 100m, cOID: "parent-1"),
            IbkrUser.Ticket(Conid, "LMT", "SELL", 10, price: 103m, cOID: "tp-1", parentId: "parent-1"),
            IbkrUser.Ticket(Conid, "STP", "SELL", 10, price: 97m, cOID: "sl-1", parentId: "parent-1"));
        host.Control.PinPrice(Conid, 104m);
        host.Control.Tick(); // the parent does not fill at 104; the take-profit must not fill before its parent
        var beforeParent = host.Control.Ledger();
        host.Control.PinPrice(Conid, 100m);
        host.Control.Tick(); // parent fills
        host.Control.Tick(); // children activate
        host.Control.PinPrice(Conid, 103.5m);
        host.Control.Tick(); // take-profit fills, stop-loss is cancelled
        var ledger = host.Control.Ledger().ToDictionary(e => e.COID!);

        Assert.Equal(3, placed.Body.GetArrayLength());
        Assert.All(beforeParent.Where(e => e.ParentId is not null), e => Assert.Equal("PreSubmitted", e.Status));
        Assert.All(beforeParent, e => Assert.Equal(0m, e.FilledQuantity));
        Assert.Equal("parent-1", ledger["tp-1"].ParentId);
        Assert.Equal("Filled", ledger["parent-1"].Status);
        Assert.Equal("Filled", ledger["tp-1"].Status);
        Assert.Equal("Cancelled", ledger["sl-1"].Status);
    }

    [Fact]
    public async Task Should_cancel_the_rest_of_an_oca_group_when_one_order_fills()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);

        await user.PlaceConfirmedAsync(
            IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 98m, cOID: "oca-a", isSingleGroup: true),
            IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 97m, cOID: "oca-b", isSingleGroup: true));
        host.Control.PinPrice(Conid, 97.5m);
        host.Control.Tick();
        var ledger = host.Control.Ledger().ToDictionary(e => e.COID!);

        Assert.NotNull(ledger["oca-a"].OcaGroup);
        Assert.Equal(ledger["oca-a"].OcaGroup, ledger["oca-b"].OcaGroup);
        Assert.Equal("Filled", ledger["oca-a"].Status);
        Assert.Equal("Cancelled", ledger["oca-b"].Status);
    }

    [Fact]
    public async Task Should_cancel_what_an_ioc_order_did_not_fill_immediately()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 99m, tif: "IOC", cOID: "ioc-miss"));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 300, tif: "IOC", cOID: "ioc-partial"));
        host.Control.Tick();
        var ledger = host.Control.Ledger().ToDictionary(e => e.COID!);

        Assert.Equal("Cancelled", ledger["ioc-miss"].Status);
        Assert.Equal(0m, ledger["ioc-miss"].FilledQuantity);
        Assert.Equal("Cancelled", ledger["ioc-partial"].Status);
        Assert.Equal(150m, ledger["ioc-partial"].FilledQuantity);
    }

    [Fact]
    public async Task Should_follow_the_price_with_a_trailing_stop()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100m);

        await user.PlaceOneConfirmedAsync(
            "{\"conid\":8314,\"orderType\":\"TRAIL\",\"side\":\"SELL\",\"quantity\":5,\"tif\":\"GTC\",\"trailingAmt\":2,\"trailingType\":\"amt\"}");
        host.Control.Tick(); // stop at 98
        host.Control.PinPrice(Conid, 110m);
        host.Control.Tick(); // stop follows to 108
        host.Control.PinPrice(Conid, 108.5m);
        host.Control.Tick();
        var waiting = Assert.Single(host.Control.Ledger());
        host.Control.PinPrice(Conid, 107.9m);
        host.Control.Tick();

        Assert.Equal(0m, waiting.FilledQuantity);
        Assert.Equal("Filled", Assert.Single(host.Control.Ledger()).Status);
    }

    [Fact]
    public async Task Should_tick_on_its_own_as_the_time_provider_advances()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?>
        {
            ["Simulator:AutomaticMarketTicks"] = "true",
            ["Simulator:MarketTickInterval"] = "00:00:00.200",
        });
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 42m);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        var status = "Submitted";
        for (var i = 0; i < 200 && status != "Filled"; i++)
        {
            host.Time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(10);
            status = Assert.Single(host.Control.Ledger()).Status;
        }

        Assert.Equal("Filled", status);
    }

    [Fact]
    public void Should_follow_the_same_price_path_for_the_same_conid_in_every_run()
    {
        var first = Enumerable.Range(0, 60).Select(t => Simulator.Market.PricePath.At(Conid, t)).ToList();
        var second = Enumerable.Range(0, 60).Select(t => Simulator.Market.PricePath.At(Conid, t)).ToList();

        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 10);
        Assert.All(first, p => Assert.InRange(p, 19m, 205m));
    }
}

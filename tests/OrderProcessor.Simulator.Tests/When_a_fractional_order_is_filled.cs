using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_fractional_order_is_filled
{
    private const int Conid = 8314;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        return user;
    }

    [Fact]
    public async Task Should_add_partial_fills_exactly_so_0_3333_and_0_6667_make_1()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1m, price: 1m, cOID: "frac-1"));
        Assert.Equal(FateOutcome.Done, host.Control.Fill("frac-1", 0.3333m, 0.99m));
        var partial = Assert.Single(host.Control.Ledger());
        Assert.Equal(FateOutcome.Done, host.Control.Fill("frac-1", null, 0.98m));
        var filled = Assert.Single(host.Control.Ledger());
        await user.GetAsync("/iserver/account/orders");
        var live = (await user.GetAsync("/iserver/account/orders")).Body.GetProperty("orders").EnumerateArray().Single();
        var sizes = (await user.GetAsync("/iserver/account/trades")).Body.EnumerateArray().Select(t => t.GetProperty("size").GetDecimal()).ToList();

        Assert.Equal(("Submitted", 0.3333m, 0.6667m), (partial.Status, partial.FilledQuantity, partial.Quantity - partial.FilledQuantity));
        Assert.Equal(("Filled", 1m), (filled.Status, filled.FilledQuantity));
        Assert.Equal([0.3333m, 0.6667m], sizes);
        Assert.Equal(1m, sizes.Sum());
        Assert.Equal(("1", "1", "0"), (live.GetProperty("filledQuantity").GetString(), live.GetProperty("totalSize").GetString(), live.GetProperty("remainingQuantity").GetString()));
    }

    [Fact]
    public async Task Should_fill_a_large_fractional_order_in_slices_that_sum_to_its_size()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 20m);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "SELL", 150.0001m));
        host.Control.Tick();
        var partial = Assert.Single(host.Control.Ledger());
        host.Control.Tick();
        var filled = Assert.Single(host.Control.Ledger());

        Assert.Equal(76m, partial.FilledQuantity);
        Assert.Equal(("Filled", 150.0001m), (filled.Status, filled.FilledQuantity));
    }

    [Fact]
    public async Task Should_refuse_a_fractional_quantity_for_a_stock_that_takes_whole_shares_only()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var answer = await user.PlaceAsync(IbkrUser.Ticket(Simulator.Instruments.InstrumentCatalog.WholeSharesStock, "MKT", "BUY", 0.5m));

        Assert.Equal("Fractional quantity 0.5 is not supported for SIMWHOLE (STK): whole units only", answer.Error);
        Assert.Empty(host.Control.Ledger());
    }
}

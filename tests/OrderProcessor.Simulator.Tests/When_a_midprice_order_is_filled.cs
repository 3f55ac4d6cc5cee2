using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_midprice_order_is_filled
{
    private const int Conid = 8314;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        return user;
    }

    [Fact]
    public async Task Should_fill_at_the_midpoint_of_bid_and_ask_not_at_the_last_price()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100.08m, new Quote(100m, 100.1m));

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MIDPRICE", "BUY", 10));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 10));
        host.Control.Tick();
        var ledger = host.Control.Ledger();

        Assert.Equal(("Filled", 100.05m), (ledger[0].Status, ledger[0].AvgPrice!.Value));
        Assert.Equal(("Filled", 100.08m), (ledger[1].Status, ledger[1].AvgPrice!.Value));
    }

    [Fact]
    public async Task Should_not_fill_a_buy_while_the_midpoint_is_above_its_cap_nor_a_sell_while_below()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 100.08m, new Quote(100m, 100.1m));

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MIDPRICE", "BUY", 10, price: 100.04m));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MIDPRICE", "SELL", 10, price: 100.06m));
        host.Control.Tick();
        var capped = host.Control.Ledger();
        host.Control.PinPrice(Conid, 100.02m, new Quote(99.98m, 100.06m));
        host.Control.Tick();
        var after = host.Control.Ledger();

        Assert.All(capped, o => Assert.Equal(("Submitted", 0m), (o.Status, o.FilledQuantity)));
        Assert.Equal(("Filled", 100.02m), (after[0].Status, after[0].AvgPrice!.Value));
        Assert.Equal("Submitted", after[1].Status);
    }

    [Fact]
    public async Task Should_fill_at_the_reference_price_when_no_quote_is_pinned_because_the_quote_is_a_tick_either_side()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 42.17m);

        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MIDPRICE", "SELL", 3));
        host.Control.Tick();

        Assert.Equal(new Quote(42.16m, 42.18m), host.Control.QuoteOf(Conid));
        Assert.Equal(42.17m, Assert.Single(host.Control.Ledger()).AvgPrice);
    }

    [Fact]
    public async Task Should_refuse_midprice_on_a_future()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var answer = await user.PlaceAsync(TicketFields.With(IbkrUser.Ticket(InstrumentCatalog.EsFuture, "MIDPRICE", "BUY", 1), new { manualIndicator = false }));

        Assert.Equal("MIDPRICE orders are supported for stocks only, not FUT", answer.Error);
    }
}

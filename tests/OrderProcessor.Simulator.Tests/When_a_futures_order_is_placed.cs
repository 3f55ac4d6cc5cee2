using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_futures_order_is_placed
{
    private const int Future = InstrumentCatalog.EsFuture;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        return user;
    }

    [Fact]
    public async Task Should_refuse_it_without_the_manual_indicator()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var answer = await user.PlaceAsync(IbkrUser.Ticket(Future, "MKT", "BUY", 1));

        Assert.Equal(InstrumentTicketRules.ManualIndicatorRequiredText, answer.Error);
        Assert.Empty(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_fill_whole_contracts_and_report_the_future_as_ibkr_does()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:SingleSliceMaxQuantity"] = "2" });
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Future, 5012.25m);

        var orderId = await user.PlaceOneConfirmedAsync(TicketFields.With(IbkrUser.Ticket(Future, "MKT", "SELL", 5), new { manualIndicator = false, secType = "FUT" }));
        host.Control.Tick();
        var partial = Assert.Single(host.Control.Ledger());
        host.Control.Tick();
        var filled = Assert.Single(host.Control.Ledger());
        await user.GetAsync("/iserver/account/orders");
        var live = (await user.GetAsync("/iserver/account/orders")).Body.GetProperty("orders").EnumerateArray().Single();
        var status = (await user.GetAsync($"/iserver/account/order/status/{orderId}")).Body;

        Assert.Equal(3m, partial.FilledQuantity);
        Assert.Equal(("Filled", 5m, false, "FUT"), (filled.Status, filled.FilledQuantity, filled.ManualIndicator, filled.SecType));
        Assert.Equal(("FUT", "CME", "ES"), (live.GetProperty("secType").GetString(), live.GetProperty("listingExchange").GetString(), live.GetProperty("ticker").GetString()));
        Assert.Equal(("FUT", "CME"), (status.GetProperty("sec_type").GetString(), status.GetProperty("listing_exchange").GetString()));
    }

    [Fact]
    public async Task Should_refuse_a_fractional_fill_through_the_control_api()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        await user.PlaceOneConfirmedAsync(TicketFields.With(IbkrUser.Ticket(Future, "LMT", "BUY", 3, price: 1m, cOID: "es-1"), new { manualIndicator = true }));

        Assert.Equal(Simulator.Engine.FateOutcome.WholeUnitsOnly, host.Control.Fill("es-1", 1.5m, 1m));
        Assert.Equal(Simulator.Engine.FateOutcome.Done, host.Control.Fill("es-1", 2m, 1m));
        Assert.Equal(2m, Assert.Single(host.Control.Ledger()).FilledQuantity);
    }

    [Fact]
    public void Should_move_the_futures_price_near_its_base_in_quarter_points()
    {
        var prices = Enumerable.Range(0, 60).Select(t => Simulator.Market.PricePath.At(Future, t)).ToList();

        Assert.All(prices, p => Assert.Equal(0m, p % 0.25m));
        Assert.All(prices, p => Assert.InRange(p, 4_900m, 5_100m));
    }
}

using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_currency_order_is_placed
{
    private const int EurUsd = InstrumentCatalog.EurUsd;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163", "o10223");
        return user;
    }

    [Fact]
    public async Task Should_convert_a_cash_amount_in_usd_into_euros_at_the_fill_price()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(EurUsd, 1.085m);

        await user.PlaceOneConfirmedAsync(TicketFields.With(TicketFields.Cash(EurUsd, "MKT", "BUY", 100m), new
        {
            conidex = "12087792@IDEALPRO",
            secType = "CASH",
            isCcyConv = true,
        }));
        host.Control.Tick();
        var order = Assert.Single(host.Control.Ledger());
        await user.GetAsync("/iserver/account/orders");
        var live = (await user.GetAsync("/iserver/account/orders")).Body.GetProperty("orders").EnumerateArray().Single();

        Assert.Equal(("Filled", 92.1658m, true, "IDEALPRO"), (order.Status, order.FilledQuantity, order.IsCcyConv, order.Exchange));
        Assert.True(order.FilledCashAmount <= 100m);
        Assert.Equal(("CASH", "EUR.USD", "12087792@IDEALPRO"), (live.GetProperty("secType").GetString(), live.GetProperty("ticker").GetString(), live.GetProperty("conidex").GetString()));
    }

    [Fact]
    public async Task Should_refuse_currency_conversion_on_a_stock()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var answer = await user.PlaceAsync(TicketFields.With(IbkrUser.Ticket(8314, "MKT", "BUY", 1), new { isCcyConv = true }));

        Assert.Equal("Currency conversion (isCcyConv) is for forex (CASH) orders only, not STK", answer.Error);
    }

    [Fact]
    public void Should_move_eur_usd_near_1_085_in_its_tick()
    {
        var prices = Enumerable.Range(0, 60).Select(t => Simulator.Market.PricePath.At(EurUsd, t)).ToList();

        Assert.All(prices, p => Assert.Equal(0m, p % 0.00005m));
        Assert.All(prices, p => Assert.InRange(p, 1.06m, 1.11m));
    }
}

using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_an_all_or_none_order_is_filled
{
    private const int Conid = 8314;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        return user;
    }

    [Fact]
    public async Task Should_fill_a_large_order_all_at_once_where_a_plain_one_fills_in_parts()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 20m);

        await user.PlaceOneConfirmedAsync(TicketFields.With(IbkrUser.Ticket(Conid, "MKT", "BUY", 250), new { allOrNone = true }));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 250));
        host.Control.Tick();
        var ledger = host.Control.Ledger();

        Assert.Equal(("Filled", 250m), (ledger[0].Status, ledger[0].FilledQuantity));
        Assert.Equal(("Submitted", 125m), (ledger[1].Status, ledger[1].FilledQuantity));
        Assert.Single((await user.GetAsync("/iserver/account/trades")).Body.EnumerateArray(), t => t.GetProperty("size").GetDecimal() == 250m);
    }

    [Fact]
    public async Task Should_refuse_a_partial_fill_through_the_control_api_and_take_a_whole_one()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        await user.PlaceOneConfirmedAsync(TicketFields.With(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 1m, cOID: "aon-1"), new { allOrNone = true }));

        Assert.Equal(FateOutcome.AllOrNoneNotSplit, host.Control.Fill("aon-1", 4m, 0.99m));
        Assert.Equal(0m, Assert.Single(host.Control.Ledger()).FilledQuantity);
        Assert.Equal(FateOutcome.Done, host.Control.Fill("aon-1", 10m, 0.99m));
        Assert.Equal(("Filled", 10m), (host.Control.Ledger()[0].Status, host.Control.Ledger()[0].FilledQuantity));
    }

    [Fact]
    public async Task Should_refuse_all_or_none_with_ioc()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var answer = await user.PlaceAsync(TicketFields.With(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 1m, tif: "IOC"), new { allOrNone = true }));

        Assert.Equal("All-or-none orders cannot have time in force IOC", answer.Error);
    }
}

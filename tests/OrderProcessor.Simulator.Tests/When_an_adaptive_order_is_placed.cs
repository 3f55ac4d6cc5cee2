using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_an_adaptive_order_is_placed
{
    private const int Conid = 8314;

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        return user;
    }

    [Fact]
    public async Task Should_accept_it_and_fill_at_the_market_like_any_market_order()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.PinPrice(Conid, 61.5m);

        await user.PlaceOneConfirmedAsync(TicketFields.With(IbkrUser.Ticket(Conid, "MKT", "BUY", 5), new
        {
            strategy = "Adaptive",
            strategyParameters = new { adaptivePriority = "Urgent" },
        }));
        await user.PlaceOneConfirmedAsync(TicketFields.With(IbkrUser.Ticket(Conid, "MKT", "BUY", 5), new { useAdaptive = true }));
        host.Control.Tick();
        var ledger = host.Control.Ledger();

        Assert.Equal(("Filled", 61.5m, "Adaptive", "Urgent"), (ledger[0].Status, ledger[0].AvgPrice!.Value, ledger[0].Strategy, ledger[0].StrategyParameters!["adaptivePriority"]));
        Assert.Equal(("Filled", 61.5m, true), (ledger[1].Status, ledger[1].AvgPrice!.Value, ledger[1].UseAdaptive));
    }

    [Fact]
    public async Task Should_refuse_a_bad_priority_or_an_unknown_strategy_over_http()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        var badPriority = await user.PlaceAsync(TicketFields.With(IbkrUser.Ticket(Conid, "MKT", "BUY", 5), new
        {
            strategy = "Adaptive",
            strategyParameters = new { adaptivePriority = "Hurry" },
        }));
        var unknown = await user.PlaceAsync(TicketFields.With(IbkrUser.Ticket(Conid, "MKT", "BUY", 5), new { strategy = "Twap" }));

        Assert.Equal("Invalid value Hurry for algo parameter adaptivePriority: one of Urgent, Normal, Patient", badPriority.Error);
        Assert.Equal("Invalid algo strategy: Twap. Supported strategies: Adaptive", unknown.Error);
        Assert.Empty(host.Control.Ledger());
    }
}

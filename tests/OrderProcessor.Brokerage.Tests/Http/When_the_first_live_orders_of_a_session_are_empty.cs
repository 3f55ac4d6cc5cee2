using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// IBKR may answer the first live-orders read of a brokerage session empty ("snapshot": false). Found by the lifecycle
/// simulation: two such reads in two sessions in a row made an order that IBKR worked look absent. The guard reads again.
/// </summary>
public sealed class When_the_first_live_orders_of_a_session_are_empty
{
    [Fact]
    public async Task Should_read_them_again_so_that_a_placed_order_is_listed()
    {
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["Simulator:FirstLiveOrdersCallEmpty"] = "true" });
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "first-read-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);
        var ticket = Tickets.Limit(price: 98m, quantity: 5);
        await guard.Gateway.PlaceOrderAsync(user, account, [ticket]);

        var first = await guard.Gateway.GetLiveOrdersAsync(user);
        simulator.Control.DropSession(user);
        var afterANewSession = await guard.Gateway.GetLiveOrdersAsync(user);

        Assert.Contains(first, o => o.OrderRef == ticket.ClientOrderId);
        Assert.Contains(afterANewSession, o => o.OrderRef == ticket.ClientOrderId);
        Assert.True(simulator.CountOf(user, "GET", "/iserver/account/orders") >= 4, "each session's first read was not read again");
    }
}

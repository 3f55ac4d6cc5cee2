using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Faults;

namespace OrderProcessor.IntegrationTests.Lifecycle;

public sealed class When_the_brokerage_session_drops(ManualMarketFixture fixture) : IClassFixture<ManualMarketFixture>
{
    [Fact]
    public async Task Should_recover_a_fill_that_happened_while_the_session_was_down()
    {
        fixture.Simulator.Control.PinPrice(5001, 100m);
        var command = TestOrders.Limit(userId: "dave", limitPrice: 99m) with { AccountId = "DU4567890", Conid = 5001 };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);

        fixture.Simulator.Control.DropSession("dave");
        fixture.Simulator.Control.PinPrice(5001, 98.5m);
        fixture.Simulator.Control.Tick();

        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);

        // The row says Filled as soon as the fill is committed; the relay publishes OrderFilled just after.
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderFilled));
        Assert.Equal(nameof(OrderFilled), fixture.EventNames(command.OrderId)[^1]);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_stop_polling_a_user_whose_orders_are_all_final()
    {
        var command = TestOrders.Market(userId: "erin") with { AccountId = "DU5678901", Conid = 5002 };
        await fixture.Downstream.Publisher.Publish(command);
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working);
        fixture.Simulator.Control.Tick();
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Filled);

        await Task.Delay(600);
        var before = LiveOrderPolls("erin");
        await Task.Delay(1500);

        Assert.Equal(before, LiveOrderPolls("erin"));
    }

    [Fact]
    public async Task Should_send_an_order_once_it_provably_did_not_reach_ibkr_through_server_errors()
    {
        var command = TestOrders.Market(userId: "dave") with { AccountId = "DU4567890", Conid = 5003 };
        fixture.Simulator.Control.SetFaults(new FaultSettings { ServerErrorRate = 1.0, PathContains = "/account/DU4567890/orders", UserId = "dave" });
        try
        {
            await fixture.Downstream.Publisher.Publish(command);
            await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Submitting);
            await Task.Delay(1500);
            Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
        }
        finally
        {
            fixture.Simulator.Control.ClearFaults();
        }

        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Working, TimeSpan.FromSeconds(30));
        Assert.Single(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{command.OrderId:N}");
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    private int LiveOrderPolls(string user) =>
        fixture.Simulator.Control.Requests().Count(r => r.UserId == user && r.Method == "GET" && r.Path.EndsWith("/iserver/account/orders", StringComparison.Ordinal));
}

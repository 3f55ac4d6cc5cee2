using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>IBKR's Adaptive algo (<c>strategy</c> + <c>strategyParameters</c>) and the <c>useAdaptive</c> flag reach the ticket.</summary>
[Collection(TicketCollection.Name)]
public sealed class When_an_adaptive_order_is_placed(TicketFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_send_the_adaptive_strategy_with_its_priority_and_fill_like_a_limit_order()
    {
        fixture.Simulator.Control.PinPrice(41003, 101m);
        var command = await fixture.PlaceWorkingAsync(TestOrders.Limit(limitPrice: 100m) with
        {
            Conid = 41003,
            Algo = new ExecutionAlgo { Strategy = "Adaptive", Parameters = new Dictionary<string, string> { ["adaptivePriority"] = "Normal" } },
        });
        var sent = fixture.AtIbkr(command.OrderId);
        output.WriteLine("working: " + sent.Describe());
        Assert.Equal("Adaptive", sent.Strategy);
        Assert.Equal(new Dictionary<string, string> { ["adaptivePriority"] = "Normal" }, sent.StrategyParameters);
        Assert.False(sent.UseAdaptive);

        fixture.Simulator.Control.PinPrice(41003, 99.5m);
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        output.WriteLine($"OrderFilled: quantity {filled.FilledQuantity} avg {filled.AveragePrice}");
        Assert.Equal((10m, 99.5m), (filled.FilledQuantity, filled.AveragePrice));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_send_use_adaptive_on_a_market_order_without_a_strategy()
    {
        var command = await fixture.PlaceWorkingAsync(TestOrders.Market() with { Conid = 41004, UseAdaptive = true });
        var sent = fixture.AtIbkr(command.OrderId);
        output.WriteLine("working: " + sent.Describe());
        Assert.Equal((true, (string?)null), (sent.UseAdaptive, sent.Strategy));

        fixture.Simulator.Control.PinPrice(41004, 42.42m);
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        output.WriteLine($"OrderFilled: quantity {filled.FilledQuantity} avg {filled.AveragePrice}");
        Assert.Equal((5m, 42.42m), (filled.FilledQuantity, filled.AveragePrice));
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Engine;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>All-or-none reaches IBKR, and the order fills whole: never the two slices a large order otherwise gets.</summary>
[Collection(TicketCollection.Name)]
public sealed class When_an_all_or_none_order_is_placed(TicketFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_fill_whole_in_one_fill()
    {
        fixture.Simulator.Control.PinPrice(41006, 21m);
        // 300 is above the simulator's single slice (100): without all-or-none it fills 150 then 150.
        var command = await fixture.PlaceWorkingAsync(TestOrders.Limit(quantity: 300, limitPrice: 20m) with { Conid = 41006, AllOrNone = true });
        var sent = fixture.AtIbkr(command.OrderId);
        output.WriteLine("working: " + sent.Describe());
        Assert.True(sent.AllOrNone);
        var partial = fixture.Simulator.Control.Fill($"op-{command.OrderId:N}", quantity: 100m);
        output.WriteLine($"a fill of 100 of the 300 asked of IBKR: {partial}");
        Assert.Equal(FateOutcome.AllOrNoneNotSplit, partial);

        fixture.Simulator.Control.PinPrice(41006, 19.98m);
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        output.WriteLine($"OrderFilled: quantity {filled.FilledQuantity} avg {filled.AveragePrice}; events {string.Join(", ", fixture.EventNames(command.OrderId))}");
        Assert.Equal((300m, 19.98m), (filled.FilledQuantity, filled.AveragePrice));
        Assert.DoesNotContain(nameof(OrderPartiallyFilled), fixture.EventNames(command.OrderId));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

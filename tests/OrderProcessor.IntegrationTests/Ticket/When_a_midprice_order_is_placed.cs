using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Market;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>IBKR's MIDPRICE order: filled at the midpoint of the quote, never beyond its optional cap.</summary>
[Collection(TicketCollection.Name)]
public sealed class When_a_midprice_order_is_placed(TicketFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_fill_at_the_midpoint_of_the_pinned_quote()
    {
        // A reference price at the ask and a wide quote: a fill at the price (50.15) instead of the midpoint shows.
        fixture.Simulator.Control.PinPrice(41005, 50.15m, new Quote(49.90m, 50.15m));
        var command = await fixture.PlaceWorkingAsync(TestOrders.Market() with { Conid = 41005, OrderType = OrderType.MidPrice, LimitPrice = 50.10m });
        var sent = fixture.AtIbkr(command.OrderId);
        output.WriteLine("working: " + sent.Describe());
        Assert.Equal(("MIDPRICE", 50.10m), (sent.OrderType, sent.Price));

        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        output.WriteLine($"quote 49.90/50.15, cap 50.10: OrderFilled quantity {filled.FilledQuantity} avg {filled.AveragePrice}");
        Assert.Equal((5m, 50.025m), (filled.FilledQuantity, filled.AveragePrice));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

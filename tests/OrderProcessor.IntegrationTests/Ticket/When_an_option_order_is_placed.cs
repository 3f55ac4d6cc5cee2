using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// An option (the simulator's AAPL call, multiplier 100): it reaches IBKR as OPT in whole contracts, fills, and one left
/// working is cancelled with nothing filled; a fractional quantity is refused before anything is sent.
/// </summary>
[Collection(TicketCollection.Name)]
public sealed class When_an_option_order_is_placed(TicketFixture fixture, ITestOutputHelper output)
{
    private static PlaceOrder Call(decimal quantity, decimal limitPrice) => TestOrders.Limit(quantity: quantity, limitPrice: limitPrice) with
    {
        Conid = TicketSteps.AaplCall,
        SecurityType = SecurityType.Option,
    };

    [Fact]
    public async Task Should_reach_ibkr_as_an_option_fill_whole_contracts_and_cancel_one_left_working()
    {
        fixture.Simulator.Control.PinPrice(TicketSteps.AaplCall, 4.60m);
        var filling = await fixture.PlaceWorkingAsync(Call(3, 4.50m));
        var resting = await fixture.PlaceWorkingAsync(Call(2, 3.00m));
        var sent = fixture.AtIbkr(filling.OrderId);
        output.WriteLine("working: " + sent.Describe());
        Assert.Equal(("OPT", 3m, 4.50m), (sent.SecType, sent.Quantity, sent.Price));

        fixture.Simulator.Control.PinPrice(TicketSteps.AaplCall, 4.45m);
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(filling.OrderId);
        output.WriteLine($"OrderFilled: {filled.FilledQuantity} at {filled.AveragePrice}");
        Assert.Equal((3m, (decimal?)null), (filled.FilledQuantity, filled.FilledCashAmount));

        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = resting.OrderId, UserId = resting.UserId, Reason = "test: not wanted" });
        // IBKR carries a cancel out on its next tick after the request has reached it (the fixture's market moves only when ticked).
        await fixture.WaitForStatusAsync(resting.OrderId, OrderStatus.PendingCancel);
        await fixture.WaitForCancelAtIbkrAsync(resting.OrderId);
        fixture.Simulator.Control.Tick();
        var cancelled = await fixture.WaitForStatusAsync(resting.OrderId, OrderStatus.Cancelled);
        output.WriteLine($"cancelled: filled {cancelled.FilledQuantity}; {fixture.AtIbkr(resting.OrderId).Describe()}");
        Assert.Equal(0m, cancelled.FilledQuantity);
        await fixture.AssertLedgerMatchesSagasAsync([filling.OrderId, resting.OrderId]);
    }

    [Fact]
    public async Task Should_refuse_a_fractional_quantity_before_it_reaches_ibkr()
    {
        var command = Call(1.5m, 4.50m);
        await fixture.Downstream.Publisher.Publish(command);
        var rejected = await fixture.RejectedAsync(command.OrderId);

        var violation = Assert.Single(rejected.Violations);
        Assert.Equal(("quantity", "fractional-security-type"), (violation.Field, violation.Rule));
        await fixture.AssertNeverAtIbkrAsync(command.OrderId);
    }
}

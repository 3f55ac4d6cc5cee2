using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// A working cash LMT order: its limit can move (IBKR's modify repeats the same <c>cashQty</c> and no size, or IBKR
/// refuses it), its quantity cannot (IBKR decides the units as it fills the cash).
/// </summary>
[Collection(TicketCollection.Name)]
public sealed class When_a_cash_quantity_order_is_modified(TicketFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_move_the_limit_keeping_the_cash_quantity_and_refuse_a_new_quantity()
    {
        fixture.Simulator.Control.PinPrice(41007, 64m);
        var command = await fixture.PlaceWorkingAsync(TestOrders.Limit(limitPrice: 62m) with { Conid = 41007, Quantity = null, CashQuantity = 1_000m });

        await fixture.Downstream.Publisher.Publish(new ModifyOrder { OrderId = command.OrderId, UserId = "alice", Quantity = 20m });
        var refused = await fixture.RejectedAsync(command.OrderId);
        output.WriteLine($"modify quantity 20: {refused.ReasonCode} (command {refused.Command}, sequence {refused.Sequence}): " +
            string.Join("; ", refused.Violations.Select(v => $"{v.Field} {v.Rule}: {v.Message}")));
        var violation = Assert.Single(refused.Violations);
        Assert.Equal(("quantity", "cash-quantity-order", nameof(ModifyOrder)), (violation.Field, violation.Rule, refused.Command));

        await fixture.Downstream.Publisher.Publish(new ModifyOrder { OrderId = command.OrderId, UserId = "alice", LimitPrice = 63.5m });
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderModified));
        var modified = fixture.AtIbkr(command.OrderId);
        output.WriteLine("modified: " + modified.Describe());
        Assert.Equal((63.5m, 1_000m), (modified.Price, modified.CashQuantity));
        await using (var db = fixture.Db())
        {
            var saga = (await db.Orders.FindAsync(command.OrderId))!;
            Assert.Equal((1_000m, (decimal?)null, 63.5m), (saga.CashQuantity, saga.Quantity, saga.LimitPrice));
        }

        // The market at 63.25 crosses the new limit: 1,000 / 63.25 = 15.81027... → 15.8102 shares, 999.99515 spent.
        fixture.Simulator.Control.PinPrice(41007, 63.25m);
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        output.WriteLine($"OrderFilled: quantity {filled.FilledQuantity} avg {filled.AveragePrice} cash {filled.FilledCashAmount}");
        Assert.Equal((15.8102m, 63.25m, 1_000.00m), (filled.FilledQuantity, filled.AveragePrice, filled.FilledCashAmount));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

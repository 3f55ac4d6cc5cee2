using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Rules;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// A cash-quantity order that ends Cancelled after some of its cash was spent: the fractional shares it bought are
/// reported with the cancel (never "cancelled, nothing filled"), whether a user cancelled the rest or IBKR cancelled it
/// once the cash was spent (the harder reading of IBKR's o10223 text, the simulator's <c>CancelledWhenSpent</c>).
/// </summary>
[Collection(TicketCollection.Name)]
public sealed class When_a_cash_quantity_order_ends_cancelled_with_fills(TicketFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_report_the_fractional_shares_filled_before_a_users_cancel()
    {
        fixture.Simulator.Control.PinPrice(41012, 35m);
        var command = await fixture.PlaceWorkingAsync(TestOrders.Limit(limitPrice: 30m) with { Conid = 41012, Quantity = null, CashQuantity = 100m });
        fixture.Simulator.Control.Fill($"op-{command.OrderId:N}", quantity: 1.2345m, price: 29.5m);
        await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderPartiallyFilled));

        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = command.OrderId, UserId = "alice", Reason = "test: the rest is not wanted" });
        // IBKR carries a cancel out on its next tick after the request has reached it.
        await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.PendingCancel);
        await fixture.WaitForCancelAtIbkrAsync(command.OrderId);
        fixture.Simulator.Control.Tick();
        var saga = await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Cancelled);
        var cancelled = (await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderCancelled)))
            .Select(e => e.Event).OfType<OrderCancelled>().Single();
        var atIbkr = fixture.AtIbkr(command.OrderId);
        output.WriteLine($"OrderCancelled: filled {cancelled.FilledQuantity} ({cancelled.Reason}); saga filled {saga.FilledQuantity} avg {saga.AveragePrice}; " + atIbkr.Describe());

        Assert.Equal((1.2345m, 1.2345m, 1.2345m, "Cancelled"), (cancelled.FilledQuantity, saga.FilledQuantity, atIbkr.FilledQuantity, atIbkr.Status));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_report_what_the_cash_bought_when_ibkr_cancels_the_rest_once_it_is_spent()
    {
        var behaviour = fixture.Simulator.Control.Behaviour;
        fixture.Simulator.Control.SetBehaviour(behaviour with { CashQuantityEnding = CashQuantityEnding.CancelledWhenSpent });
        try
        {
            fixture.Simulator.Control.PinPrice(41013, 187.33m);
            var command = await fixture.PlaceWorkingAsync(TestOrders.Market() with { Conid = 41013, Quantity = null, CashQuantity = 500m });
            fixture.Simulator.Control.Tick();
            var saga = await fixture.WaitForStatusAsync(command.OrderId, OrderStatus.Cancelled);
            var events = await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderCancelled));
            var cancelled = events.Select(e => e.Event).OfType<OrderCancelled>().Single();
            var atIbkr = fixture.AtIbkr(command.OrderId);
            output.WriteLine($"events {string.Join(", ", fixture.EventNames(command.OrderId))}; OrderCancelled filled {cancelled.FilledQuantity} ({cancelled.Reason}); " +
                $"saga filled {saga.FilledQuantity} avg {saga.AveragePrice}; " + atIbkr.Describe());

            // IBKR's maximum size is 500 × 1.25 / 187.33 = 3.3363; the cash bought 2.6690 of it before IBKR cancelled the rest.
            Assert.Equal(("Cancelled", 2.6690m, 3.3363m), (atIbkr.Status, atIbkr.FilledQuantity, atIbkr.Quantity));
            Assert.Equal((2.6690m, 2.6690m, 187.33m), (cancelled.FilledQuantity, saga.FilledQuantity, saga.AveragePrice));
            await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
        }
        finally
        {
            fixture.Simulator.Control.SetBehaviour(behaviour);
        }
    }
}

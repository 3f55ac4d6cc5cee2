using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// "Buy 500 USD of a stock": IBKR gets <c>cashQty</c> and no size, fills ⌊500 / price⌋ to 0.0001 share (down, so the cost
/// never exceeds the cash), and the events carry that fractional quantity and its cash to the cent.
/// </summary>
[Collection(TicketCollection.Name)]
public sealed class When_a_cash_quantity_order_fills(TicketFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_fill_the_fractional_quantity_the_cash_buys_and_report_its_cash_amount()
    {
        fixture.Simulator.Control.PinPrice(41001, 187.33m);
        var command = await fixture.PlaceWorkingAsync(TestOrders.Market() with { Conid = 41001, Quantity = null, CashQuantity = 500m });
        var sent = fixture.AtIbkr(command.OrderId);
        output.WriteLine("working: " + sent.Describe());
        // The ticket carried cashQty and no size (IBKR refuses a cash order with a size: "Cash Quantity order cannot
        // specify size"); the size IBKR shows while it works is its own estimate at the price on acceptance.
        Assert.Equal((500m, 2.6690m), (sent.CashQuantity, sent.Quantity));

        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        var atIbkr = fixture.AtIbkr(command.OrderId);
        output.WriteLine("filled:  " + atIbkr.Describe());
        output.WriteLine($"OrderFilled: quantity {filled.FilledQuantity} avg {filled.AveragePrice} cash {filled.FilledCashAmount}");

        // 500 / 187.33 = 2.66908...: 2.6690 (2.6691 would cost 500.0025), which costs 499.98377, reported to the cent.
        Assert.Equal(2.6690m, filled.FilledQuantity);
        Assert.Equal(187.33m, filled.AveragePrice);
        Assert.Equal(499.98m, filled.FilledCashAmount);
        Assert.Equal((2.6690m, 499.98377m), (atIbkr.FilledQuantity, atIbkr.FilledCashAmount));
        await using var db = fixture.Db();
        var saga = (await db.Orders.FindAsync(command.OrderId))!;
        output.WriteLine($"saga: cash_quantity {saga.CashQuantity} quantity {saga.Quantity?.ToString() ?? "null"} filled {saga.FilledQuantity} avg {saga.AveragePrice}");
        Assert.Equal((500m, (decimal?)null, 2.6690m), (saga.CashQuantity, saga.Quantity, saga.FilledQuantity));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_add_partial_fills_of_a_cash_limit_order_up_to_exactly_what_ibkr_filled()
    {
        // The limit is below the market: the order rests until the simulator's control fills it in two parts.
        fixture.Simulator.Control.PinPrice(41002, 35m);
        var command = await fixture.PlaceWorkingAsync(TestOrders.Limit(limitPrice: 30m) with { Conid = 41002, Quantity = null, CashQuantity = 100m });
        var coid = $"op-{command.OrderId:N}";

        fixture.Simulator.Control.Fill(coid, quantity: 0.3333m, price: 30m);
        var partial = (await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderPartiallyFilled)))
            .Select(e => e.Event).OfType<OrderPartiallyFilled>().Single();
        output.WriteLine($"OrderPartiallyFilled: filled {partial.FilledQuantity} remaining {partial.RemainingQuantity} avg {partial.AveragePrice} cash {partial.FilledCashAmount}");

        // What is left, 100 - 9.999 = 90.001, buys 3.001033... at 29.99: 3.0010 more (89.99999).
        fixture.Simulator.Control.Fill(coid, price: 29.99m);
        var filled = await fixture.FilledAsync(command.OrderId);
        var atIbkr = fixture.AtIbkr(command.OrderId);
        output.WriteLine($"OrderFilled: quantity {filled.FilledQuantity} avg {filled.AveragePrice} cash {filled.FilledCashAmount}; " + atIbkr.Describe());

        // 0.3333 × 30 = 9.999, reported to the cent (half a cent away from zero).
        Assert.Equal((0.3333m, 10.00m), (partial.FilledQuantity, partial.FilledCashAmount));
        // 0.3333 + 3.0010 = 3.3343 exactly, what IBKR filled; 9.999 + 89.99999 = 99.99899 spent, 100.00 to the cent;
        // the volume-weighted average 99.99899 / 3.3343 = 29.99100... to IBKR's 4 decimals.
        Assert.Equal(3.3343m, filled.FilledQuantity);
        Assert.Equal(atIbkr.FilledQuantity, filled.FilledQuantity);
        Assert.Equal(99.99899m, atIbkr.FilledCashAmount);
        Assert.Equal(100.00m, filled.FilledCashAmount);
        Assert.Equal(29.991m, filled.AveragePrice);
        Assert.Equal(atIbkr.AvgPrice, filled.AveragePrice);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_add_the_simulators_two_slices_at_two_prices_up_to_exactly_what_ibkr_filled()
    {
        // 10,000 USD at 40 is 250 shares, above the simulator's single slice (100): it fills 125 on the first tick, and
        // on the next what the other 5,000 buys at the new price.
        fixture.Simulator.Control.PinPrice(41010, 40m);
        var command = await fixture.PlaceWorkingAsync(TestOrders.Market() with { Conid = 41010, Quantity = null, CashQuantity = 10_000m });
        fixture.Simulator.Control.Tick();
        var partial = (await fixture.Downstream.WaitForAsync(command.OrderId, e => e.Any(x => x.Event is OrderPartiallyFilled)))
            .Select(e => e.Event).OfType<OrderPartiallyFilled>().Single();
        output.WriteLine($"OrderPartiallyFilled: filled {partial.FilledQuantity} remaining {partial.RemainingQuantity} avg {partial.AveragePrice} cash {partial.FilledCashAmount}");

        fixture.Simulator.Control.PinPrice(41010, 41m);
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        var atIbkr = fixture.AtIbkr(command.OrderId);
        output.WriteLine($"OrderFilled: quantity {filled.FilledQuantity} avg {filled.AveragePrice} cash {filled.FilledCashAmount}; " + atIbkr.Describe());

        Assert.Equal((125m, 5_000.00m), (partial.FilledQuantity, partial.FilledCashAmount));
        // 5,000 / 41 = 121.95121...: 121.9512 more (4,999.9992); 125 + 121.9512 = 246.9512, IBKR's filled exactly.
        Assert.Equal((246.9512m, 246.9512m), (filled.FilledQuantity, atIbkr.FilledQuantity));
        // The event's cash is the contract's rule, filled quantity × IBKR's average price (40.4938, to 4 decimals) to the
        // cent: 246.9512 × 40.4938 = 9,999.990... → 9,999.99, a cent below the 9,999.9992 spent (which rounds to
        // 10,000.00): over several fills at several prices the average's rounding shows.
        Assert.Equal(40.4938m, filled.AveragePrice);
        Assert.Equal((9_999.9992m, 9_999.99m), (atIbkr.FilledCashAmount, filled.FilledCashAmount));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_sell_no_more_than_the_cash_it_is_to_collect()
    {
        fixture.Simulator.Control.PinPrice(41014, 187.33m);
        var command = await fixture.PlaceWorkingAsync(TestOrders.Market() with { Conid = 41014, Side = OrderSide.Sell, Quantity = null, CashQuantity = 500m });
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        var atIbkr = fixture.AtIbkr(command.OrderId);
        output.WriteLine($"SELL for 500 USD: OrderFilled quantity {filled.FilledQuantity} avg {filled.AveragePrice} cash {filled.FilledCashAmount}; " + atIbkr.Describe());

        // Rounded down as a buy is: 2.6690 shares collect 499.98377, never more than the 500 asked for.
        Assert.Equal(("SELL", 2.6690m, 499.98m), (atIbkr.Side, filled.FilledQuantity, filled.FilledCashAmount));
        Assert.Equal(499.98377m, atIbkr.FilledCashAmount);
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

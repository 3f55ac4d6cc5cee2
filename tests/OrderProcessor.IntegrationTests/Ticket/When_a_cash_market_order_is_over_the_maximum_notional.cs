using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Risk;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// A cash-quantity order's notional is its cash, known on arrival even for a market order (which has no price of its own):
/// MaxNotional refuses one above it before anything reaches IBKR, and takes one within it.
/// </summary>
[Collection(TicketCollection.Name)]
public sealed class When_a_cash_market_order_is_over_the_maximum_notional(TicketFixture fixture, ITestOutputHelper output)
{
    private const string Account = "DU4567890";

    [Fact]
    public async Task Should_refuse_it_before_ibkr_and_take_one_within_the_limit()
    {
        await using (var db = fixture.Db())
        {
            await RiskLimitCommands.SetAsync(db, "account", Account, new RiskLimitChange(MaxNotional: 1_000m), "test", DateTimeOffset.UtcNow, CancellationToken.None);
        }

        try
        {
            var over = TestOrders.Market("dave") with { AccountId = Account, Conid = 41009, Quantity = null, CashQuantity = 1_000.01m };
            await fixture.Downstream.Publisher.Publish(over);
            var rejected = await fixture.RejectedAsync(over.OrderId);
            output.WriteLine($"cash 1,000.01 under MaxNotional 1,000: {rejected.ReasonCode}: \"{rejected.Reason}\"");
            Assert.Equal(RejectionReasonCode.MaxNotionalExceeded, rejected.ReasonCode);
            Assert.Contains("notional 1,000.01 (the cash quantity) exceeds the maximum of 1,000 per order", rejected.Reason, StringComparison.Ordinal);
            await using (var db = fixture.Db())
            {
                Assert.Equal(OrderStatus.Rejected, (await db.Orders.FindAsync(over.OrderId))!.Status);
            }

            await fixture.AssertNeverAtIbkrAsync(over.OrderId);

            fixture.Simulator.Control.PinPrice(41009, 80m);
            var within = await fixture.PlaceWorkingAsync(over with { OrderId = Guid.NewGuid(), CashQuantity = 1_000m });
            fixture.Simulator.Control.Tick();
            var filled = await fixture.FilledAsync(within.OrderId);
            output.WriteLine($"cash 1,000 within it: OrderFilled quantity {filled.FilledQuantity} avg {filled.AveragePrice} cash {filled.FilledCashAmount}");
            Assert.Equal((12.5m, 1_000.00m), (filled.FilledQuantity, filled.FilledCashAmount));
        }
        finally
        {
            await using var db = fixture.Db();
            await RiskLimitCommands.ClearAsync(db, "account", Account, [], "test", DateTimeOffset.UtcNow, CancellationToken.None);
        }
    }
}

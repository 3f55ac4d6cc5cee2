using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// A US future (the simulator's ES, multiplier 50): IBKR rejects one without <c>manualIndicator</c>, so it must reach the
/// ticket as given (false included), and a command without it is refused before anything is sent.
/// </summary>
[Collection(TicketCollection.Name)]
public sealed class When_a_futures_order_is_placed(TicketFixture fixture, ITestOutputHelper output)
{
    private static PlaceOrder Es(decimal limitPrice) => TestOrders.Limit(quantity: 2, limitPrice: limitPrice) with
    {
        Conid = TicketSteps.EsFuture,
        SecurityType = SecurityType.Future,
        ListingExchange = "CME",
    };

    [Fact]
    public async Task Should_reach_ibkr_with_the_manual_indicator_and_fill_whole_contracts()
    {
        fixture.Simulator.Control.PinPrice(TicketSteps.EsFuture, 5010m);
        var command = await fixture.PlaceWorkingAsync(Es(5000m) with { ManualIndicator = false });
        var sent = fixture.AtIbkr(command.OrderId);
        output.WriteLine("working: " + sent.Describe());
        Assert.Equal(("FUT", false, 2m, 5000m), (sent.SecType, sent.ManualIndicator, sent.Quantity, sent.Price));

        fixture.Simulator.Control.PinPrice(TicketSteps.EsFuture, 4999.75m);
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        output.WriteLine($"OrderFilled: quantity {filled.FilledQuantity} avg {filled.AveragePrice} cash {filled.FilledCashAmount?.ToString() ?? "null"}");
        Assert.Equal((2m, 4999.75m, (decimal?)null), (filled.FilledQuantity, filled.AveragePrice, filled.FilledCashAmount));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }

    [Fact]
    public async Task Should_refuse_one_without_the_manual_indicator_before_it_reaches_ibkr()
    {
        var command = Es(5000m);
        await fixture.Downstream.Publisher.Publish(command);
        var rejected = await fixture.RejectedAsync(command.OrderId);
        output.WriteLine($"OrderRejected {rejected.ReasonCode}: " + string.Join("; ", rejected.Violations.Select(v => $"{v.Field} {v.Rule}: {v.Message}")));

        var violation = Assert.Single(rejected.Violations);
        Assert.Equal(("manualIndicator", "manual-indicator-required"), (violation.Field, violation.Rule));
        Assert.Equal(RejectionReasonCode.ValidationFailed, rejected.ReasonCode);
        await fixture.AssertNeverAtIbkrAsync(command.OrderId);
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>A currency conversion on IDEALPRO: the ticket carries <c>conidex</c>, <c>secType</c> CASH and <c>isCcyConv</c>.</summary>
[Collection(TicketCollection.Name)]
public sealed class When_a_currency_is_converted(TicketFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_reach_ibkr_as_a_currency_conversion_on_idealpro_and_fill()
    {
        fixture.Simulator.Control.PinPrice(TicketSteps.EurUsd, 1.0850m);
        // 10,000 EUR: Risk:MaxQuantity (10,000 by default) counts a currency order's units, so 20,000 EUR would be refused.
        var command = await fixture.PlaceWorkingAsync(TestOrders.Limit(quantity: 10_000m, limitPrice: 1.0812m) with
        {
            Conid = TicketSteps.EurUsd,
            SecurityType = SecurityType.Currency,
            Conidex = $"{TicketSteps.EurUsd}@IDEALPRO",
            CurrencyConversion = true,
        });
        var sent = fixture.AtIbkr(command.OrderId);
        output.WriteLine("working: " + sent.Describe());
        Assert.Equal(("CASH", "IDEALPRO", true, 10_000m), (sent.SecType, sent.Exchange, sent.IsCcyConv, sent.Quantity));

        // 10,000 is above the simulator's single slice (100): it fills 5,000 on each of two ticks.
        fixture.Simulator.Control.PinPrice(TicketSteps.EurUsd, 1.0810m);
        fixture.Simulator.Control.Tick();
        fixture.Simulator.Control.Tick();
        var filled = await fixture.FilledAsync(command.OrderId);
        output.WriteLine($"OrderFilled: {filled.FilledQuantity} EUR at {filled.AveragePrice}");
        Assert.Equal((10_000m, 1.0810m), (filled.FilledQuantity, filled.AveragePrice));
        await fixture.AssertLedgerMatchesSagasAsync([command.OrderId]);
    }
}

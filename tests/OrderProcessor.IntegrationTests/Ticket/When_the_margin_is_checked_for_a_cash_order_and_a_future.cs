using MassTransit;
using OrderProcessor.Contracts;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Ticket;

/// <summary>
/// A MarginCheck is a what-if of the same ticket a PlaceOrder would send: one with a cash quantity and one for a future
/// (with its manual indicator) are answered with IBKR's figures, and nothing is placed.
/// </summary>
[Collection(TicketCollection.Name)]
public sealed class When_the_margin_is_checked_for_a_cash_order_and_a_future(TicketFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Should_answer_a_cash_quantity_check_with_the_cash_as_its_amount()
    {
        fixture.Simulator.Control.PinPrice(41008, 125m);
        var completed = await CheckAsync(new MarginCheck
        {
            CheckId = Guid.NewGuid(),
            UserId = "alice",
            AccountId = "DU1234567",
            Conid = 41008,
            Side = OrderSide.Buy,
            CashQuantity = 5_000m,
            OrderType = OrderType.Market,
            TimeInForce = TimeInForce.Day,
        });

        // 5,000 / 125 = 40 shares; IBKR's initial margin rate in the simulator is 25 % of the position: +1,250.
        Assert.Equal(("USD", 5_000m), (completed.Currency, completed.Amount));
        Assert.Equal(1_250m, completed.Initial.After - completed.Initial.Current);
    }

    [Fact]
    public async Task Should_answer_a_futures_check_at_the_contracts_multiplier()
    {
        fixture.Simulator.Control.PinPrice(TicketSteps.EsFuture, 5000m);
        var completed = await CheckAsync(new MarginCheck
        {
            CheckId = Guid.NewGuid(),
            UserId = "alice",
            AccountId = "DU1234567",
            Conid = TicketSteps.EsFuture,
            SecurityType = SecurityType.Future,
            ManualIndicator = false,
            Side = OrderSide.Buy,
            Quantity = 1,
            OrderType = OrderType.Limit,
            LimitPrice = 5000m,
            TimeInForce = TimeInForce.Day,
        });

        // One ES at 5,000 × 50 = 250,000 of position; 25 % of it is the initial margin.
        Assert.Equal(62_500m, completed.Initial.After - completed.Initial.Current);
    }

    private async Task<MarginCheckCompleted> CheckAsync(MarginCheck check)
    {
        var client = fixture.Downstream.CreateRequestClient<MarginCheck>();
        var response = await client.GetResponse<MarginCheckCompleted, OrderRejected>(check);
        if (response.Is(out Response<OrderRejected>? rejected))
        {
            Assert.Fail($"refused: {rejected!.Message.ReasonCode} {rejected.Message.Reason} " +
                string.Join("; ", rejected.Message.Violations.Select(v => $"{v.Field} {v.Rule}")));
        }

        Assert.True(response.Is(out Response<MarginCheckCompleted>? answer));
        var figures = answer!.Message;
        output.WriteLine($"MarginCheckCompleted {check.SecurityType?.ToString() ?? "STK"} conid {check.Conid}: amount {figures.Amount} {figures.Currency}, " +
            $"initial {figures.Initial.Current} -> {figures.Initial.After} (change {figures.Initial.Change}), maintenance {figures.Maintenance.Current} -> {figures.Maintenance.After}, " +
            $"equity {figures.Equity.Current} -> {figures.Equity.After}, commission {figures.Commission}, warning {figures.Warning ?? "-"}");
        Assert.Equal(check.CheckId, figures.OrderId);
        Assert.Null(figures.Error);
        Assert.DoesNotContain(fixture.Simulator.Control.Ledger(), l => l.COID == $"op-{check.CheckId:N}");
        return figures;
    }
}

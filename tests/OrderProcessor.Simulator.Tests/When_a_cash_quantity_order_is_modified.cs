using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_cash_quantity_order_is_modified
{
    private const int Conid = 265598;

    private static async Task<(IbkrUser User, long OrderId)> WorkingCashOrderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163", "o10223");
        host.Control.PinPrice(Conid, 200m);
        var orderId = await user.PlaceOneConfirmedAsync(TicketFields.Cash(Conid, "LMT", "BUY", 1000m, price: 190m));
        return (user, orderId);
    }

    private static Task<Answer> ModifyAsync(IbkrUser user, long orderId, string ticket) =>
        user.PostAsync($"/iserver/account/{user.AccountId}/order/{orderId}", ticket);

    [Fact]
    public async Task Should_take_a_new_limit_price_and_keep_the_cash()
    {
        using var host = new SimulatorHost();
        var (user, orderId) = await WorkingCashOrderAsync(host);
        using var _ = user;

        var answer = await ModifyAsync(user, orderId, TicketFields.Cash(Conid, "LMT", "BUY", 1000m, price: 201m));
        host.Control.Tick();
        var order = Assert.Single(host.Control.Ledger());

        Assert.True(answer.IsAccepted, answer.Raw);
        Assert.Equal(("Filled", 201m, 1000m, 5m), (order.Status, order.Price!.Value, order.CashQuantity!.Value, order.FilledQuantity));
    }

    [Fact]
    public async Task Should_refuse_a_new_cash_amount_or_a_size()
    {
        using var host = new SimulatorHost();
        var (user, orderId) = await WorkingCashOrderAsync(host);
        using var _ = user;

        var newCash = await ModifyAsync(user, orderId, TicketFields.Cash(Conid, "LMT", "BUY", 2000m, price: 190m));
        var size = await ModifyAsync(user, orderId, IbkrUser.Ticket(Conid, "LMT", "BUY", 5, price: 190m));

        var text = $"Order {orderId} cannot be modified: the cash quantity 1000.00 of a cash quantity order cannot be changed";
        Assert.Equal(text, newCash.Error);
        Assert.Equal(text, size.Error);
        Assert.Equal(1000m, Assert.Single(host.Control.Ledger()).CashQuantity);
    }

    [Fact]
    public async Task Should_refuse_turning_a_quantity_order_into_a_cash_order()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163", "o10223");
        var orderId = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 5, price: 1m));

        var answer = await ModifyAsync(user, orderId, TicketFields.Cash(Conid, "LMT", "BUY", 1000m, price: 1m));

        Assert.Equal($"Order {orderId} cannot be modified: a quantity order cannot become a cash quantity order", answer.Error);
    }
}

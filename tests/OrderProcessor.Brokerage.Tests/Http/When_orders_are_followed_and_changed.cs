using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_orders_are_followed_and_changed
{
    [Fact]
    public async Task Should_find_the_order_by_its_client_order_id_then_modify_and_cancel_it()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "following-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);
        var ticket = Tickets.Limit(price: 98m, quantity: 5);
        var placed = await guard.Gateway.PlaceOrderAsync(user, account, [ticket]);
        var orderId = placed.OrderIdOf(ticket.ClientOrderId)!;

        var live = await guard.Gateway.GetLiveOrdersAsync(user);
        var status = await guard.Gateway.GetOrderStatusAsync(user, orderId);
        var modified = await guard.Gateway.ModifyOrderAsync(user, account, orderId, ticket with { Price = 98.5m });
        var cancelled = await guard.Gateway.CancelOrderAsync(user, account, orderId);

        var mine = Assert.Single(live, o => o.OrderRef == ticket.ClientOrderId);
        Assert.Equal(orderId, mine.OrderId);
        Assert.True(mine.IsWorking);
        Assert.True(guard.Sessions.GetSession(user)!.HasLiveOrders);
        Assert.Equal(orderId, status.OrderId);
        Assert.Equal(5m, status.TotalSize);
        Assert.Equal(PlaceOrderOutcome.Accepted, modified.Outcome);
        Assert.Equal(98.5m, simulator.Control.Ledger().Single().Price);
        Assert.True(cancelled.Requested);
        Assert.Equal(orderId, cancelled.OrderId);
    }

    [Fact]
    public async Task Should_report_a_refused_cancel_with_ibkrs_text()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "cancel-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];

        var cancelled = await guard.Gateway.CancelOrderAsync(user, account, "1");

        Assert.False(cancelled.Requested);
        Assert.Contains("1", cancelled.RejectionText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_parse_what_if_figures_into_numbers_with_currency()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "what-if-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);

        var preview = await guard.Gateway.WhatIfAsync(user, account, [Tickets.Limit(price: 99m, quantity: 10)]);

        Assert.NotNull(preview.Amount);
        Assert.Equal("USD", preview.Amount!.Currency);
        Assert.InRange(preview.Amount.Value, 900m, 1100m);
        Assert.NotNull(preview.InitialMargin.After);
        Assert.True(preview.InitialMargin.After!.Value > preview.InitialMargin.Current!.Value);
        Assert.False(preview.HasError);
        Assert.Empty(simulator.Control.Ledger());
    }

    [Fact]
    public async Task Should_open_a_new_session_after_logout()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "logout-user";
        await guard.Gateway.GetAccountsAsync(user);

        await guard.Gateway.LogoutAsync(user);
        var accounts = await guard.Gateway.GetAccountsAsync(user);

        Assert.NotEmpty(accounts);
        Assert.Equal(1, simulator.CountOf(user, "POST", "/logout"));
        Assert.Equal(2, simulator.CountOf(user, "POST", "/iserver/auth/ssodh/init"));
    }
}

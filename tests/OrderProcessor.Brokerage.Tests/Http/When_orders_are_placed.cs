using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Questions;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Orders;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_orders_are_placed
{
    [Fact]
    public async Task Should_return_the_ibkr_order_id_of_the_client_order_id()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "placing-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        var ticket = Tickets.Market();

        var result = await guard.Gateway.PlaceOrderAsync(user, account, [ticket]);

        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        var ledger = Assert.Single(simulator.Control.Ledger());
        Assert.Equal(ticket.ClientOrderId, ledger.COID);
        Assert.Equal(ledger.OrderId.ToString(), result.OrderIdOf(ticket.ClientOrderId));
    }

    [Fact]
    public async Task Should_confirm_an_allow_listed_question()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "question-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];

        // Undo the start-of-session suppression so that IBKR asks o10151 (market order risk) again.
        using (await guard.Services.GetRequiredService<IQuestionsApi>().ResetAsync(user, CancellationToken.None))
        {
        }

        var result = await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);

        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        Assert.Contains("o10151", result.ConfirmedQuestionIds);
        Assert.Single(simulator.Control.Ledger());
        var reply = Assert.Single(guard.Requests, r => r.Path.Contains("/iserver/reply/", StringComparison.Ordinal));
        Assert.Contains("true", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_reject_an_unknown_question_with_its_text_and_leave_it_unconfirmed()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "unknown-question-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.SetExtraQuestions([new Question("o9999", "Something new. Are you sure?")], user);

        var result = await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);

        Assert.Equal(PlaceOrderOutcome.Rejected, result.Outcome);
        Assert.Contains("Something new", result.Rejection!.Text, StringComparison.Ordinal);
        Assert.Equal(["o9999"], result.Rejection.QuestionIds);
        Assert.True(result.Rejection.IsUnconfirmedQuestion);
        Assert.Empty(simulator.Control.Ledger());
        var reply = Assert.Single(guard.Requests, r => r.Path.Contains("/iserver/reply/", StringComparison.Ordinal));
        Assert.Contains("false", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_reject_a_price_far_from_the_market_because_o163_is_not_allow_listed()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "far-price-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);

        var result = await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Limit(price: 150m)]);

        Assert.Equal(PlaceOrderOutcome.Rejected, result.Outcome);
        Assert.Equal(["o163"], result.Rejection!.QuestionIds);
        Assert.Empty(simulator.Control.Ledger());
    }

    [Fact]
    public async Task Should_surface_a_duplicate_client_order_id_as_already_registered()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "duplicate-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        var ticket = Tickets.Market();
        await guard.Gateway.PlaceOrderAsync(user, account, [ticket]);

        var again = await guard.Gateway.PlaceOrderAsync(user, account, [ticket]);

        Assert.Equal(PlaceOrderOutcome.AlreadyRegistered, again.Outcome);
        Assert.Contains(ticket.ClientOrderId, again.Rejection!.Text, StringComparison.Ordinal);
        Assert.Single(simulator.Control.Ledger());
    }

    [Fact]
    public async Task Should_never_let_two_concurrent_orders_of_one_user_make_a_reply_stale()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => s["Brokerage:Pacing:PerUserPerSecond"] = "10");
        const string user = "concurrent-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        using (await guard.Services.GetRequiredService<IQuestionsApi>().ResetAsync(user, CancellationToken.None))
        {
        }

        // Every order asks a question; reads of the same user run alongside.
        var orders = Enumerable.Range(0, 6).Select(_ => Task.Run(() => guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]))).ToList();
        var reads = Enumerable.Range(0, 6).Select(_ => Task.Run(() => guard.Gateway.GetAccountsAsync(user))).ToList();
        var results = await Task.WhenAll(orders);
        await Task.WhenAll(reads);

        Assert.All(results, r => Assert.Equal(PlaceOrderOutcome.Accepted, r.Outcome));
        Assert.Equal(6, simulator.Control.Ledger().Count);
        Assert.DoesNotContain(simulator.IbkrRequestsOf(user), r => r.Path.Contains("/iserver/reply/", StringComparison.Ordinal) && r.Status != 200);
    }

    [Fact]
    public async Task Should_place_a_bracket_in_one_request_and_map_every_client_order_id()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "bracket-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);
        var parent = Tickets.Limit(price: 99m);
        var stop = Tickets.Limit(price: 98m, side: BrokerOrderSide.Sell) with { OrderType = BrokerOrderType.Stop, ParentClientOrderId = parent.ClientOrderId };
        var take = Tickets.Limit(price: 102m, side: BrokerOrderSide.Sell) with { ParentClientOrderId = parent.ClientOrderId };

        var result = await guard.Gateway.PlaceOrderAsync(user, account, [parent, stop, take]);

        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        var ledger = simulator.Control.Ledger();
        Assert.Equal(3, ledger.Count);
        foreach (var ticket in new[] { parent, stop, take })
        {
            Assert.Equal(ledger.Single(l => l.COID == ticket.ClientOrderId).OrderId.ToString(), result.OrderIdOf(ticket.ClientOrderId));
        }

        Assert.Equal(1, simulator.CountOf(user, "POST", "/orders"));
    }
}

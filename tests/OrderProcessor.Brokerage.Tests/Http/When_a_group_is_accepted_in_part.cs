using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Ibkr.Questions;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using GroupAnswerMode = OrderProcessor.Simulator.Orders.GroupAnswerMode;
using GroupAnswerSettings = OrderProcessor.Simulator.Orders.GroupAnswerSettings;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// A bracket or OCA request that IBKR accepts in part: the result is Accepted with the tickets IBKR took, and every other
/// ticket is a refused ticket with IBKR's text, matched to its cOID by position when IBKR does not name it.
/// </summary>
public sealed class When_a_group_is_accepted_in_part
{
    private static OrderTicket[] Oca() =>
    [
        Tickets.Limit(price: 99m) with { IsSingleGroup = true },
        Tickets.Limit(price: 98m) with { IsSingleGroup = true },
        Tickets.Limit(price: 97m) with { IsSingleGroup = true },
    ];

    private static OrderTicket[] Bracket()
    {
        var parent = Tickets.Limit(price: 99m);
        return
        [
            parent,
            Tickets.Limit(price: 97m, side: BrokerOrderSide.Sell) with { OrderType = BrokerOrderType.Stop, ParentClientOrderId = parent.ClientOrderId },
            Tickets.Limit(price: 102m, side: BrokerOrderSide.Sell) with { ParentClientOrderId = parent.ClientOrderId },
        ];
    }

    [Fact]
    public async Task Should_return_the_accepted_tickets_and_the_refused_one_matched_by_position()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "oca-refused-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);
        simulator.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.RefuseTicket, TicketIndex = 1, Error = "Leg refused" });
        var tickets = Oca();

        var result = await guard.Gateway.PlaceOrderAsync(user, account, tickets);

        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        Assert.Equal([tickets[0].ClientOrderId, tickets[2].ClientOrderId], result.Orders.Select(o => o.ClientOrderId));
        var refused = Assert.Single(result.RejectedTickets);
        Assert.Equal((tickets[1].ClientOrderId, "Leg refused"), (refused.ClientOrderId, refused.Text));
        Assert.Empty(refused.QuestionIds);
        var ledger = simulator.Control.Ledger();
        foreach (var placed in result.Orders)
        {
            Assert.Equal(ledger.Single(l => l.COID == placed.ClientOrderId).OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture), placed.OrderId);
        }
    }

    [Fact]
    public async Task Should_report_the_ticket_whose_own_question_is_not_allow_listed_as_refused_with_its_question()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "bracket-asked-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);
        simulator.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.AskTicket, TicketIndex = 2, QuestionId = "o9998" });
        var tickets = Bracket();

        var result = await guard.Gateway.PlaceOrderAsync(user, account, tickets);

        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        Assert.Equal([tickets[0].ClientOrderId, tickets[1].ClientOrderId], result.Orders.Select(o => o.ClientOrderId));
        var refused = Assert.Single(result.RejectedTickets);
        Assert.Equal(tickets[2].ClientOrderId, refused.ClientOrderId);
        Assert.Equal(["o9998"], refused.QuestionIds);
        Assert.Equal(2, simulator.Control.Ledger().Count);
        var reply = Assert.Single(guard.Requests, r => r.Path.Contains("/iserver/reply/", StringComparison.Ordinal));
        Assert.Contains("false", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_confirm_an_allow_listed_question_of_one_ticket_and_place_every_ticket()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "oca-confirmed-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);
        // Undo the start-of-session suppression so that the allow-listed o354 reaches the guard as a question.
        using (await guard.Services.GetRequiredService<IQuestionsApi>().ResetAsync(user, CancellationToken.None))
        {
        }

        simulator.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.AskTicket, TicketIndex = 0, QuestionId = "o354" });
        var tickets = Oca();

        var result = await guard.Gateway.PlaceOrderAsync(user, account, tickets);

        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        Assert.Equal(["o354"], result.ConfirmedQuestionIds);
        Assert.Empty(result.RejectedTickets);
        Assert.Equal(tickets.Select(t => t.ClientOrderId).Order(), result.Orders.Select(o => o.ClientOrderId!).Order());
        var ledger = simulator.Control.Ledger();
        foreach (var ticket in tickets)
        {
            Assert.Equal(ledger.Single(l => l.COID == ticket.ClientOrderId).OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture), result.OrderIdOf(ticket.ClientOrderId));
        }
    }

    [Fact]
    public async Task Should_reject_the_request_when_every_ticket_is_refused()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "bracket-refused-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);
        simulator.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.RefuseTicket, TicketIndex = 0, Error = "Parent refused" });

        var result = await guard.Gateway.PlaceOrderAsync(user, account, Bracket());

        Assert.Equal(PlaceOrderOutcome.Rejected, result.Outcome);
        Assert.Equal("Parent refused", result.Rejection!.Text);
        Assert.Empty(result.Orders);
        Assert.Empty(simulator.Control.Ledger());
    }

    [Fact]
    public async Task Should_name_a_refused_ticket_by_the_cOID_in_ibkrs_text_when_positions_do_not_match()
    {
        var tickets = Oca();
        var canned = $$"""[{"order_id":"1234567890","order_status":"Submitted","encrypt_message":"1"},{"error":"Order couldn't be submitted: Local order ID={{tickets[2].ClientOrderId}} is already registered."}]""";
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, services: s =>
            s.ConfigureHttpClientDefaults(c => c.ConfigurePrimaryHttpMessageHandler(() => new CannedOrdersHandler(canned, simulator.Server.CreateHandler()))));
        const string user = "canned-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];

        var result = await guard.Gateway.PlaceOrderAsync(user, account, tickets);

        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        var placed = Assert.Single(result.Orders);
        Assert.Equal(("1234567890", null), (placed.OrderId, placed.ClientOrderId));
        Assert.Equal(tickets[2].ClientOrderId, Assert.Single(result.RejectedTickets).ClientOrderId);
    }
}

using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_answers_are_checked_against_the_ibkr_openapi_document
{
    private const int Conid = 265598;

    [Fact]
    public async Task Should_match_the_session_schemas()
    {
        using var host = new SimulatorHost();
        using var user = await host.SignInAsync("alice");

        var init = await user.InitAsync();
        var status = await user.PostAsync("/iserver/auth/status");
        var tickle = await user.PostAsync("/tickle");
        var accounts = await user.GetAsync("/iserver/accounts");

        await AssertMatchesAsync("brokerageSessionStatus", init);
        await AssertMatchesAsync("brokerageSessionStatus", status);
        await AssertMatchesAsync("successfulTickleResponse", tickle);
        await AssertMatchesAsync("userAccountsResponse", accounts);
    }

    [Fact]
    public async Task Should_match_the_order_schemas()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);

        var question = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 150, cOID: "schema-1"));
        var accepted = await user.ReplyAsync(question.ReplyId);
        var orderId = accepted.Body[0].GetProperty("order_id").GetString();
        host.Control.Tick();
        await user.GetAsync("/iserver/account/orders");
        var live = await user.GetAsync("/iserver/account/orders");
        var status = await user.GetAsync($"/iserver/account/order/status/{orderId}");
        var trades = await user.GetAsync("/iserver/account/trades");
        var whatIf = await user.PostAsync($"/iserver/account/{user.AccountId}/orders/whatif", "{\"orders\":[" + IbkrUser.Ticket(Conid, "MKT", "BUY", 10) + "]}");
        var cancel = await user.DeleteAsync($"/iserver/account/{user.AccountId}/order/{orderId}");
        var rejected = await user.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1));

        await AssertMatchesAsync("orderReplyMessage", question);
        await AssertMatchesAsync("orderSubmitSuccess", accepted);
        await AssertMatchesAsync("liveOrdersResponse", live);
        Assert.NotEmpty(live.Body.GetProperty("orders").EnumerateArray());
        await AssertMatchesAsync("orderStatus", status);
        await AssertMatchesAsync("tradesResponse", trades);
        var trade = Assert.Single(trades.Body.EnumerateArray());
        Assert.Equal(("schema-1", 75m), (trade.GetProperty("order_ref").GetString(), trade.GetProperty("size").GetDecimal()));
        await AssertMatchesAsync("orderPreview", whatIf);
        await AssertMatchesAsync("orderCancelSuccess", cancel);
        await AssertMatchesAsync("orderSubmitError", rejected);
    }

    [Fact]
    public async Task Should_match_the_schemas_with_the_harder_ibkr_switched_on()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?>
        {
            ["Simulator:FirstLiveOrdersCallEmpty"] = "false",
            ["Simulator:LiveOrdersRepeatEntries"] = "true",
            ["Simulator:BearerTokenLifetime"] = "1.00:00:00",
            ["Simulator:SessionIdleTimeout"] = "1.00:00:00",
        });
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 100m);
        string[] oca =
        [
            IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "oca-1", isSingleGroup: true),
            IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 98m, cOID: "oca-2", isSingleGroup: true),
        ];

        host.Control.SetGroupAnswers(new Orders.GroupAnswerSettings { Mode = Orders.GroupAnswerMode.RefuseTicket, TicketIndex = 1 });
        var partlyRefused = await user.PlaceAsync(oca);
        host.Control.SetGroupAnswers(new Orders.GroupAnswerSettings { Mode = Orders.GroupAnswerMode.AskTicket, TicketIndex = 0 });
        var partlyAsked = await user.PlaceAsync(oca.Select(t => t.Replace("oca-", "ask-", StringComparison.Ordinal)).ToArray());
        var heldAccepted = await user.ReplyAsync(partlyAsked.Body[0].GetProperty("id").GetString()!);
        var large = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 150, cOID: "large"));
        host.Control.Tick();
        host.Control.AdvanceClock(TimeSpan.FromHours(12));
        host.Control.Tick();
        host.Control.MakeInactive("oca-1");
        var trades = await user.GetAsync("/iserver/account/trades?days=2");
        var live = await user.GetAsync("/iserver/account/orders");
        var inactive = await user.GetAsync($"/iserver/account/order/status/{host.Control.Ledger()[0].OrderId}");
        var modifyRefused = await user.PostAsync($"/iserver/account/{user.AccountId}/order/{large}", IbkrUser.Ticket(Conid, "MKT", "BUY", 150, cOID: "other"));

        await AssertMatchesAsync("orderSubmitSuccess", partlyRefused);
        Assert.True(partlyRefused.Body[1].TryGetProperty("error", out _));
        await AssertMatchesAsync("orderReplyMessage", partlyAsked);
        await AssertMatchesAsync("orderSubmitSuccess", partlyAsked);
        await AssertMatchesAsync("orderSubmitSuccess", heldAccepted);
        await AssertMatchesAsync("tradesResponse", trades);
        Assert.Equal(2, trades.Body.EnumerateArray().Count(t => t.GetProperty("order_ref").GetString() == "large"));
        await AssertMatchesAsync("liveOrdersResponse", live);
        Assert.Contains(live.Body.GetProperty("orders").EnumerateArray(), o => o.GetProperty("status").GetString() == "Inactive");
        await AssertMatchesAsync("orderStatus", inactive);
        await AssertMatchesAsync("orderSubmitError", modifyRefused);
        Assert.NotNull(modifyRefused.Error);
    }

    [Fact]
    public async Task Should_match_the_schemas_for_the_whole_ticket()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163", "o10223");
        host.Control.PinPrice(Conid, 187.33m);
        string[] tickets =
        [
            TicketFields.With(IbkrUser.Ticket(Conid, "MKT", "BUY", 0, cOID: "cash"), new { cashQty = 500m, secType = "STK" }),
            TicketFields.With(IbkrUser.Ticket(Simulator.Instruments.InstrumentCatalog.EsFuture, "LMT", "BUY", 1, price: 1m), new { manualIndicator = false, conidex = $"{Simulator.Instruments.InstrumentCatalog.EsFuture}@CME" }),
            TicketFields.With(IbkrUser.Ticket(Conid, "MIDPRICE", "SELL", 0.5m, price: 150m), new { allOrNone = true }),
            TicketFields.With(IbkrUser.Ticket(Conid, "LMT", "BUY", 2, price: 180m), new { strategy = "Adaptive", strategyParameters = new { adaptivePriority = "Normal" }, listingExchange = "NASDAQ" }),
            TicketFields.With(TicketFields.Cash(Simulator.Instruments.InstrumentCatalog.EurUsd, "MKT", "BUY", 100m), new { quantity = 0, isCcyConv = true, useAdaptive = false }),
        ];

        foreach (var ticket in tickets)
        {
            var errors = await OpenApiContract.ErrorsAsync("singleOrderSubmissionRequest", ticket);
            Assert.True(errors.Count == 0, $"{ticket}: {string.Join("; ", errors)}");
            await user.PlaceOneConfirmedAsync(ticket);
        }

        host.Control.Tick();
        await user.GetAsync("/iserver/account/orders");
        var live = await user.GetAsync("/iserver/account/orders");
        var statuses = new List<Answer>();
        foreach (var order in host.Control.Ledger())
            statuses.Add(await user.GetAsync($"/iserver/account/order/status/{order.OrderId}"));
        var trades = await user.GetAsync("/iserver/account/trades");
        var whatIf = await user.PostAsync($"/iserver/account/{user.AccountId}/orders/whatif", "{\"orders\":[" + tickets[0] + "]}");

        await AssertMatchesAsync("liveOrdersResponse", live);
        Assert.Equal(5, live.Body.GetProperty("orders").GetArrayLength());
        foreach (var status in statuses)
            await AssertMatchesAsync("orderStatus", status);
        await AssertMatchesAsync("tradesResponse", trades);
        Assert.Contains(trades.Body.EnumerateArray(), t => t.GetProperty("size").GetDecimal() == 2.669m);
        await AssertMatchesAsync("orderPreview", whatIf);
    }

    [Fact]
    public async Task Should_find_that_ibkrs_schema_requires_quantity_even_beside_a_cash_quantity()
    {
        // IBKR's schema lists quantity as required; a cash-quantity ticket that leaves it out does not match the schema
        // (the simulator still takes it). A processor that wants its body valid against the schema sends quantity 0.
        var errors = await OpenApiContract.ErrorsAsync("singleOrderSubmissionRequest", TicketFields.Cash(Conid, "MKT", "BUY", 500m));

        Assert.Contains(errors, e => e.Contains("quantity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_notice_a_wrong_json_type()
    {
        var errors = await OpenApiContract.ErrorsAsync("liveOrdersResponse", "{\"orders\":[{\"orderId\":\"1234\",\"avgPrice\":12.5}],\"snapshot\":true}");

        var all = string.Join("\n", errors);
        Assert.Contains("orderId", all, StringComparison.Ordinal);
        Assert.Contains("avgPrice", all, StringComparison.Ordinal);
    }

    private static async Task AssertMatchesAsync(string schemaName, Answer answer)
    {
        var errors = await OpenApiContract.ErrorsAsync(schemaName, answer.Raw);
        Assert.True(errors.Count == 0, $"{schemaName}: {string.Join("; ", errors)}\n{answer.Raw}");
    }
}

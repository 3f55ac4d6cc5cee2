using System.Net;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_an_order_is_placed
{
    private const int Conid = 265598;

    [Fact]
    public async Task Should_ask_o10151_for_a_market_order_and_accept_it_once_confirmed()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var question = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 10, cOID: "c-1"));
        var accepted = await user.ReplyAsync(question.ReplyId);

        Assert.Equal(HttpStatusCode.OK, question.Status);
        Assert.Equal("o10151", question.QuestionId);
        Assert.False(question.Body[0].GetProperty("isSuppressed").GetBoolean());
        Assert.Contains("Are you sure", question.Body[0].GetProperty("message")[0].GetString(), StringComparison.Ordinal);
        Assert.True(accepted.IsAccepted);
        var orderId = accepted.Body[0].GetProperty("order_id").GetString();
        Assert.Equal("Submitted", accepted.Body[0].GetProperty("order_status").GetString());
        var entry = Assert.Single(host.Control.Ledger());
        Assert.Equal(orderId, entry.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("c-1", entry.COID);
        Assert.Equal(user.AccountId, entry.AccountId);
    }

    [Fact]
    public async Task Should_ask_o163_only_for_a_limit_price_more_than_3_percent_from_the_reference()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);

        var near = await user.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 102.9m));
        var far = await user.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 10, price: 96.5m));

        Assert.True(near.IsAccepted, near.Raw);
        Assert.True(far.IsQuestion, far.Raw);
        Assert.Equal("o163", far.QuestionId);
    }

    [Fact]
    public async Task Should_not_ask_questions_suppressed_for_the_session_until_the_next_init()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var suppress = await user.SuppressAsync("o10151", "o163");
        var placed = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        var afterInit = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));

        Assert.Equal("submitted", suppress.Body.GetProperty("status").GetString());
        Assert.True(placed.IsAccepted, placed.Raw);
        Assert.True(afterInit.IsQuestion, afterInit.Raw);
    }

    [Fact]
    public async Task Should_ask_the_extra_questions_of_the_control_api_one_after_the_other()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.SetExtraQuestions([new Question("o9999", "Something unusual. Are you sure?")], forUserId: "alice");

        var first = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        var second = await user.ReplyAsync(first.ReplyId);
        var accepted = await user.ReplyAsync(second.ReplyId);

        Assert.Equal("o10151", first.QuestionId);
        Assert.Equal("o9999", second.QuestionId);
        Assert.NotEqual(first.ReplyId, second.ReplyId);
        Assert.True(accepted.IsAccepted, accepted.Raw);
    }

    [Fact]
    public async Task Should_make_the_reply_stale_when_another_request_of_the_user_comes_between()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var question = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        await user.GetAsync("/iserver/account/orders");
        var reply = await user.ReplyAsync(question.ReplyId);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal($"reply id not found: '{question.ReplyId}'", reply.Error);
        Assert.Empty(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_drop_the_order_when_the_question_is_not_confirmed()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var question = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1));
        var reply = await user.ReplyAsync(question.ReplyId, confirmed: false);
        var again = await user.ReplyAsync(question.ReplyId);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.NotNull(reply.Error);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Empty(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_refuse_a_cOID_already_registered_with_ibkr_text()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");

        var first = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "order-42"));
        var second = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "order-42"));

        Assert.True(first.IsAccepted);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("Order couldn't be submitted: Local order ID=order-42 is already registered.", second.Error);
        Assert.Single(host.Control.Ledger());
    }

    [Theory]
    [InlineData("{\"conid\":\"265598\",\"orderType\":\"MKT\",\"side\":\"BUY\",\"quantity\":1,\"tif\":\"DAY\"}")]
    [InlineData("{\"conid\":265598,\"orderType\":\"MKT\",\"quantity\":1,\"tif\":\"DAY\"}")]
    [InlineData("{\"conid\":265598,\"orderType\":\"mkt\",\"side\":\"BUY\",\"quantity\":1,\"tif\":\"DAY\"}")]
    [InlineData("{\"conid\":265598,\"orderType\":\"MKT\",\"side\":\"BUY\",\"quantity\":\"1\",\"tif\":\"DAY\"}")]
    public async Task Should_answer_500_to_malformed_content(string ticket)
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var answer = await user.PlaceAsync(ticket);

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.NotNull(answer.Error);
    }

    [Theory]
    [InlineData("LMT", 10, null)]
    [InlineData("MKT", 0, null)]
    [InlineData("STOP_LIMIT", 10, 100)]
    public async Task Should_reject_business_errors_with_200_and_an_error(string orderType, int quantity, int? price)
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var answer = await user.PlaceAsync(IbkrUser.Ticket(Conid, orderType, "BUY", quantity, price: price));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.NotNull(answer.Error);
    }

    [Fact]
    public async Task Should_refuse_an_account_the_user_does_not_have()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var answer = await user.PostAsync("/iserver/account/DU0000001/orders", "{\"orders\":[" + IbkrUser.Ticket(Conid, "MKT", "BUY", 1) + "]}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("Bad Request: accountId is not valid: DU0000001", answer.Error);
    }

    [Fact]
    public async Task Should_trade_on_the_accounts_set_by_the_control_api()
    {
        using var host = new SimulatorHost();
        host.Control.SetUserAccounts("carol", ["DU7654321", "DU7654322"]);
        using var user = await host.SignInAsync("carol");
        await user.InitAsync();

        var accounts = await user.GetAsync("/iserver/accounts");
        await user.SuppressAsync("o10151");
        var placed = await user.PostAsync("/iserver/account/DU7654322/orders", "{\"orders\":[" + IbkrUser.Ticket(Conid, "MKT", "BUY", 1) + "]}");

        Assert.Equal(2, accounts.Body.GetProperty("accounts").GetArrayLength());
        Assert.True(placed.IsAccepted, placed.Raw);
        Assert.Equal("DU7654322", Assert.Single(host.Control.Ledger()).AccountId);
    }

    [Fact]
    public async Task Should_refuse_an_order_whose_margin_exceeds_the_equity()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);

        var answer = await user.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 50_000, price: 100m));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.StartsWith("YOUR ORDER IS NOT ACCEPTED", answer.Error, StringComparison.Ordinal);
        Assert.Empty(host.Control.Ledger());
    }
}

using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>IBKR refuses a registered cOID for 24 hours only, and the moment it looks can come after other refusals.</summary>
public sealed class When_a_client_order_id_is_used_again
{
    private const int Conid = 265598;
    private const string DuplicateText = "Order couldn't be submitted: Local order ID=again-1 is already registered.";

    [Fact]
    public async Task Should_refuse_it_inside_the_window_and_place_a_second_order_after_it()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        var ticket = IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "again-1");
        await user.PlaceConfirmedAsync(ticket);

        host.Control.AdvanceClock(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var inside = await Resume(host, user, ticket);
        host.Control.AdvanceClock(TimeSpan.FromSeconds(1));
        var after = await Resume(host, user, ticket);

        Assert.Equal(DuplicateText, inside.Error);
        Assert.True(after.IsAccepted, after.Raw);
        Assert.Equal(2, host.Control.Ledger().Count(l => l.COID == "again-1"));
    }

    [Fact]
    public async Task Should_use_the_configured_window()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?>
        {
            ["Simulator:DuplicateClientOrderIdWindow"] = "00:10:00",
            ["Simulator:BearerTokenLifetime"] = "01:00:00",
            ["Simulator:SessionIdleTimeout"] = "01:00:00",
        });
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        var ticket = IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "again-1");
        await user.PlaceConfirmedAsync(ticket);

        host.Time.Advance(TimeSpan.FromMinutes(10));
        var after = await user.PlaceAsync(ticket);

        Assert.True(after.IsAccepted, after.Raw);
    }

    [Fact]
    public async Task Should_refuse_a_duplicate_before_asking_anything_by_default()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        var ticket = IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "again-1");
        await user.PlaceConfirmedAsync(ticket);

        var resend = await user.PlaceAsync(ticket);

        Assert.Equal(DuplicateText, resend.Error);
    }

    [Fact]
    public async Task Should_ask_the_question_first_and_refuse_the_duplicate_only_at_acceptance_when_checked_after_only()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:DuplicateClientOrderIdCheck"] = "AfterChecks" });
        using var user = await host.OpenSessionAsync("alice");
        var ticket = IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "again-1");
        await user.PlaceConfirmedAsync(ticket);

        var question = await user.PlaceAsync(ticket);
        var confirmed = await user.ReplyAsync(question.ReplyId);

        Assert.Equal("o10151", question.QuestionId);
        Assert.Equal(DuplicateText, confirmed.Error);
        Assert.Single(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_refuse_a_resend_for_its_margin_before_noticing_the_duplicate_when_checked_after_only()
    {
        using var host = new SimulatorHost();
        host.Control.SetBehaviour(host.Control.Behaviour with { DuplicateClientOrderIdCheck = DuplicateCheckPoint.AfterChecks });
        using var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);
        var ticket = IbkrUser.Ticket(Conid, "LMT", "BUY", 30_000, price: 100m, cOID: "again-1");
        await user.PlaceConfirmedAsync(ticket);
        host.Control.Tick();

        // The first order filled: the same order again would double the position beyond the equity.
        var resend = await user.PlaceAsync(ticket);

        Assert.StartsWith("YOUR ORDER IS NOT ACCEPTED", resend.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Both", false)]
    [InlineData("BeforeChecks", true)]
    public async Task Should_look_again_at_acceptance_unless_checked_before_only(string checkPoint, bool secondAccepted)
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:DuplicateClientOrderIdCheck"] = checkPoint });
        // Two usernames trading one account: the only way two placements of one cOID can both wait for a question.
        host.Control.SetUserAccounts("alice", ["DU1112223"]);
        host.Control.SetUserAccounts("bob", ["DU1112223"]);
        using var alice = await host.OpenSessionAsync("alice");
        using var bob = await host.OpenSessionAsync("bob");
        var body = "{\"orders\":[" + IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "again-1") + "]}";

        var aliceQuestion = await alice.PostAsync("/iserver/account/DU1112223/orders", body);
        var bobQuestion = await bob.PostAsync("/iserver/account/DU1112223/orders", body);
        var aliceAccepted = await alice.ReplyAsync(aliceQuestion.ReplyId);
        var bobAnswer = await bob.ReplyAsync(bobQuestion.ReplyId);

        Assert.True(aliceAccepted.IsAccepted, aliceAccepted.Raw);
        Assert.Equal(secondAccepted, bobAnswer.IsAccepted);
        Assert.Equal(secondAccepted ? 2 : 1, host.Control.Ledger().Count);
    }

    private static async Task<Answer> Resume(SimulatorHost host, IbkrUser user, string ticket)
    {
        // A day later the session and the token are gone: a new token, init, warm-up, as a client would.
        using var again = await host.OpenSessionAsync(user.UserId);
        await again.SuppressAsync("o10151");
        return await again.PlaceAsync(ticket);
    }
}

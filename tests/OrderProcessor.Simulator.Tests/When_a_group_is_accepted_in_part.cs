using System.Net;
using System.Net.Http.Json;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>
/// A bracket or OCA request whose tickets do not share one fate: one is refused, or asks a question of its own, while the
/// others are accepted. The answer holds one entry per ticket, in request order.
/// </summary>
public sealed class When_a_group_is_accepted_in_part
{
    private const int Conid = 8080;

    private static readonly string[] Oca =
    [
        IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "oca-a", isSingleGroup: true),
        IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 98m, cOID: "oca-b", isSingleGroup: true),
        IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 97m, cOID: "oca-c", isSingleGroup: true),
    ];

    private static readonly string[] Bracket =
    [
        IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "parent"),
        IbkrUser.Ticket(Conid, "STP", "SELL", 1, price: 97m, cOID: "stop", parentId: "parent"),
        IbkrUser.Ticket(Conid, "LMT", "SELL", 1, price: 102m, cOID: "take", parentId: "parent"),
    ];

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        host.Control.PinPrice(Conid, 100m);
        return user;
    }

    [Fact]
    public async Task Should_refuse_one_ticket_with_an_error_entry_at_its_position_and_accept_the_others()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.RefuseTicket, TicketIndex = 1, Error = "Leg refused" });

        var answer = await user.PlaceAsync(Oca);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var entries = answer.Body.EnumerateArray().ToList();
        Assert.Equal(3, entries.Count);
        Assert.True(entries[0].TryGetProperty("order_id", out _));
        Assert.Equal("Leg refused", entries[1].GetProperty("error").GetString());
        Assert.True(entries[2].TryGetProperty("order_id", out _));
        var ledger = host.Control.Ledger();
        Assert.Equal(["oca-a", "oca-c"], ledger.Select(l => l.COID));
        Assert.Single(ledger.Select(l => l.OcaGroup).Distinct());
    }

    [Fact]
    public async Task Should_refuse_a_whole_bracket_when_its_parent_is_the_refused_ticket()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.RefuseTicket, TicketIndex = 0, Error = "Parent refused" });

        var answer = await user.PlaceAsync(Bracket);

        Assert.Equal("Parent refused", answer.Error);
        Assert.Empty(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_ask_one_ticket_a_question_accept_the_others_at_once_and_that_one_once_confirmed()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.AskTicket, TicketIndex = 2, QuestionId = "o9998" });

        var answer = await user.PlaceAsync(Bracket);
        var entries = answer.Body.EnumerateArray().ToList();
        var beforeReply = host.Control.Ledger().Select(l => l.COID).ToList();
        var confirmed = await user.ReplyAsync(entries[2].GetProperty("id").GetString()!);

        Assert.True(entries[0].TryGetProperty("order_id", out _));
        Assert.True(entries[1].TryGetProperty("order_id", out _));
        Assert.Equal("o9998", entries[2].GetProperty("messageIds")[0].GetString());
        Assert.Equal(["parent", "stop"], beforeReply);
        Assert.True(confirmed.IsAccepted, confirmed.Raw);
        var take = host.Control.Ledger().Single(l => l.COID == "take");
        Assert.Equal(confirmed.Body[0].GetProperty("order_id").GetString(), take.OrderId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("parent", take.ParentId);
        Assert.Equal(host.Control.Ledger().Single(l => l.COID == "stop").OcaGroup, take.OcaGroup);
    }

    [Fact]
    public async Task Should_drop_only_the_asked_ticket_when_its_question_is_declined_or_goes_stale()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.AskTicket, TicketIndex = 1 });

        var first = await user.PlaceAsync(Oca);
        var declined = await user.ReplyAsync(first.Body[1].GetProperty("id").GetString()!, confirmed: false);
        var second = await user.PlaceAsync(Oca.Select(t => t.Replace("oca-", "again-", StringComparison.Ordinal)).ToArray());
        await user.GetAsync("/iserver/accounts");
        var stale = await user.ReplyAsync(second.Body[1].GetProperty("id").GetString()!);

        Assert.Equal("Order not confirmed", declined.Error);
        Assert.Equal(HttpStatusCode.BadRequest, stale.Status);
        Assert.Equal(["oca-a", "oca-c", "again-a", "again-c"], host.Control.Ledger().Select(l => l.COID));
    }

    [Fact]
    public async Task Should_accept_the_group_whole_when_the_ticket_question_is_suppressed_or_the_request_has_one_ticket()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.AskTicket, QuestionId = "o9998" });
        await user.SuppressAsync("o9998");

        var group = await user.PlaceAsync(Oca);
        host.Control.SetGroupAnswers(new GroupAnswerSettings { Mode = GroupAnswerMode.RefuseTicket });
        var single = await user.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 99m, cOID: "single"));

        Assert.Equal(3, group.Body.EnumerateArray().Count(e => e.TryGetProperty("order_id", out _)));
        Assert.True(single.IsAccepted, single.Raw);
    }

    [Fact]
    public async Task Should_set_and_clear_partial_acceptance_over_http_for_one_user()
    {
        using var host = new SimulatorHost();
        using var control = host.CreateClient();
        using var alice = await TraderAsync(host);
        using var bob = await host.OpenSessionAsync("bob");

        using var set = await control.PutAsJsonAsync("/__sim/group-answers", new { mode = "refuseTicket", ticketIndex = 0, forUserId = "bob" });
        var aliceAnswer = await alice.PlaceAsync(Oca);
        var bobAnswer = await bob.PlaceAsync(Oca.Select(t => t.Replace("oca-", "bob-", StringComparison.Ordinal)).ToArray());
        using var cleared = await control.DeleteAsync("/__sim/group-answers");
        using var refused = await control.PutAsJsonAsync("/__sim/group-answers", new { mode = "askTicket", ticketIndex = -1 });

        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.Equal(3, aliceAnswer.Body.EnumerateArray().Count(e => e.TryGetProperty("order_id", out _)));
        Assert.True(bobAnswer.Body[0].TryGetProperty("error", out _));
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(GroupAnswerMode.Whole, host.Control.GroupAnswers.Mode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}

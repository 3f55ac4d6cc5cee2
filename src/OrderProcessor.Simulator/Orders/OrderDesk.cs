using System.Globalization;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Streaming;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// Placing, confirming and modifying orders: business checks, questions with suppression, the reply loop, acceptance.
/// Every method is called while holding the user's gate, which is what makes place → reply… → accepted one sequence.
/// </summary>
public sealed class OrderDesk(
    OrderBook book,
    MarketPrices market,
    MarginCalculator margin,
    ExtraQuestions extra,
    GroupAnswers groups,
    OrderModifications modifications,
    BehaviourSettings behaviour,
    IOptions<SimulatorOptions> options,
    SimulatorClock time,
    OrderEngine engine,
    OrderStreamHub stream)
{
    public const string NotConfirmed = "Order not confirmed";

    /// <summary>Places (or asks the first question); whatever changed is streamed before the answer is written.</summary>
    public IResult Place(UserState user, BrokerageSession session, string accountId, IReadOnlyList<OrderTicket> tickets)
    {
        try
        {
            return PlaceNow(user, session, accountId, tickets);
        }
        finally
        {
            stream.Flush();
        }
    }

    private IResult PlaceNow(UserState user, BrokerageSession session, string accountId, IReadOnlyList<OrderTicket> tickets)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tickets);
        var rules = behaviour.Current;
        var problem = tickets.Select(t => OrderTicketRules.Check(t, accountId)).FirstOrDefault(p => p is not null)
            ?? OrderTicketRules.CheckGroup(tickets)
            ?? (IbkrRules.ChecksDuplicateOnArrival(rules.DuplicateClientOrderIdCheck)
                ? book.DuplicateOf(accountId, tickets, time.GetUtcNow(), rules.DuplicateClientOrderIdWindow)
                : null);
        problem ??= WorkingOrdersLimitRefusal(accountId, tickets, rules.MaxWorkingOrdersPerContractSide);
        if (problem is not null)
            return IbkrResults.Rejected(problem);
        var impact = margin.Impact(accountId, tickets.First(t => t.ParentId is null));
        if (impact.ExceedsEquity)
            return IbkrResults.Rejected(impact.InsufficientEquityText());
        return AskOrFinish(user, new PendingReply(NewReplyId(), accountId, tickets, null, Questions(user, session, tickets))
        {
            Split = groups.SplitFor(user.UserId, tickets, session.SuppressedQuestions),
        });
    }

    /// <summary>
    /// IBKR's 20 working orders per contract, side and account: the request is refused whole when, counting each of its
    /// tickets, one conid and side of the account would go over the limit. Checked on arrival, like the ticket rules.
    /// </summary>
    private string? WorkingOrdersLimitRefusal(string accountId, IReadOnlyList<OrderTicket> tickets, int limit)
    {
        if (limit <= 0)
            return null;
        foreach (var group in tickets.GroupBy(t => (t.Conid, t.Side)))
        {
            if (IbkrRules.ExceedsWorkingOrdersLimit(book.WorkingCount(accountId, group.Key.Conid, group.Key.Side), group.Count(), limit))
                return IbkrRules.WorkingOrdersLimitText(options.Value.WorkingOrdersLimitText, limit);
        }

        return null;
    }

    public IResult Modify(UserState user, BrokerageSession session, string accountId, long orderId, OrderTicket ticket)
    {
        try
        {
            return ModifyNow(user, session, accountId, orderId, ticket);
        }
        finally
        {
            stream.Flush();
        }
    }

    private IResult ModifyNow(UserState user, BrokerageSession session, string accountId, long orderId, OrderTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(ticket);
        var problem = modifications.Problem(accountId, orderId, ticket) ?? OrderTicketRules.Check(ticket, accountId);
        if (problem is not null)
            return IbkrResults.Rejected(problem);
        return AskOrFinish(user, new PendingReply(NewReplyId(), accountId, [ticket], orderId, Questions(user, session, [ticket])));
    }

    public IResult Reply(UserState user, string replyId, bool confirmed)
    {
        try
        {
            return ReplyNow(user, replyId, confirmed);
        }
        finally
        {
            stream.Flush();
        }
    }

    private IResult ReplyNow(UserState user, string replyId, bool confirmed)
    {
        ArgumentNullException.ThrowIfNull(user);
        var pending = user.PendingReply;
        if (pending is null || !string.Equals(pending.ReplyId, replyId, StringComparison.Ordinal))
            return IbkrResults.ErrorWithCode(StatusCodes.Status400BadRequest, $"reply id not found: '{replyId}'");
        user.PendingReply = null;
        if (!confirmed)
            return IbkrResults.Rejected(NotConfirmed);
        pending.Remaining.Dequeue();
        pending.ReplyId = NewReplyId();
        return AskOrFinish(user, pending);
    }

    public IResult WhatIf(UserState user, BrokerageSession session, string accountId, IReadOnlyList<OrderTicket> tickets)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        var problem = tickets.Select(t => OrderTicketRules.Check(t, accountId)).FirstOrDefault(p => p is not null)
            ?? OrderTicketRules.CheckGroup(tickets);
        if (problem is not null)
            return IbkrResults.Rejected(problem);
        var questions = Questions(user, session, tickets);
        var warn = questions.Count == 0 ? null : string.Join("\n", questions.Select(q => q.Id + "/" + q.Text));
        return Results.Json(MarginCalculator.Preview(margin.Impact(accountId, tickets.First(t => t.ParentId is null)), warn));
    }

    private Queue<Question> Questions(UserState user, BrokerageSession session, IEnumerable<OrderTicket> tickets)
    {
        var all = QuestionCatalog.For(tickets, market.PriceOf, options.Value.PriceDeviationLimit, extra.For(user.UserId));
        return new Queue<Question>(all.Where(q => !session.SuppressedQuestions.Contains(q.Id)));
    }

    private IResult AskOrFinish(UserState user, PendingReply pending)
    {
        if (pending.Remaining.Count > 0)
        {
            user.PendingReply = pending;
            var q = pending.Current;
            return Results.Json(new[] { new OrderQuestion(pending.ReplyId, [q.Text], false, [q.Id]) });
        }

        if (pending.ModifiedOrderId is { } orderId)
            return modifications.Apply(pending.AccountId, orderId, pending.Tickets[0]);
        return pending.HeldOrders is { } held ? Register(held) : Accept(user, pending);
    }

    /// <summary>The duplicate window when the cOID is checked at acceptance, null when it is checked on arrival only.</summary>
    private TimeSpan? AcceptanceDuplicateWindow()
    {
        var rules = behaviour.Current;
        return IbkrRules.ChecksDuplicateAtAcceptance(rules.DuplicateClientOrderIdCheck) ? rules.DuplicateClientOrderIdWindow : null;
    }

    private IResult Register(IReadOnlyList<SimOrder> orders)
    {
        var (accepted, error) = book.Register(orders, time.GetUtcNow(), AcceptanceDuplicateWindow());
        if (accepted is null)
            return IbkrResults.Rejected(error!);
        var answer = Results.Json(accepted.Select(Submitted).ToArray());
        FillMarketOrdersIfAsked(accepted);
        return answer;
    }

    /// <summary>
    /// Accepts the request, or (when the control API asks for partial acceptance) part of it: the answer then holds one
    /// entry per ticket, in request order: accepted ones, and an error or a question for the singled-out ones.
    /// </summary>
    private IResult Accept(UserState user, PendingReply pending)
    {
        var orders = book.Prepare(user.UserId, pending.AccountId, pending.Tickets, market.PriceOf, behaviour.Current.CashQuantityEnding);
        if (pending.Split is not { } split)
            return Register(orders);
        var singled = orders.Where((_, i) => split.Positions.Contains(i)).ToList();
        var kept = orders.Where((_, i) => !split.Positions.Contains(i)).ToList();
        if (kept.Count == 0)
        {
            // The whole request was singled out (a bracket parent and all its children): answered as a whole.
            return split.Error is { } whole
                ? IbkrResults.Rejected(whole)
                : AskOrFinish(user, new PendingReply(NewReplyId(), pending.AccountId, pending.Tickets, null, new Queue<Question>([split.Question!])) { HeldOrders = orders });
        }

        var (_, error) = book.Register(kept, time.GetUtcNow(), AcceptanceDuplicateWindow());
        if (error is not null)
            return IbkrResults.Rejected(error);
        var answered = kept.ToDictionary(o => o.OrderId, Submitted);
        FillMarketOrdersIfAsked(kept);
        object? singledEntry = split.Error is { } text ? new OrderError(text) : null;
        if (split.Question is { } question)
        {
            var held = new PendingReply(NewReplyId(), pending.AccountId, [.. pending.Tickets.Where((_, i) => split.Positions.Contains(i))], null, new Queue<Question>([question]))
            {
                HeldOrders = singled,
            };
            user.PendingReply = held;
            singledEntry = new OrderQuestion(held.ReplyId, [question.Text], false, [question.Id]);
        }

        return Results.Json(orders.Select((o, i) => split.Positions.Contains(i) ? singledEntry! : answered[o.OrderId]).ToArray());
    }

    /// <summary>
    /// With <see cref="SimulatorOptions.FillMarketOrdersOnAccept"/>: the acceptance is streamed first (full <c>sor</c>
    /// frame), then the market orders are worked at once, so their fill follows on the socket, all before the answer.
    /// </summary>
    private void FillMarketOrdersIfAsked(IReadOnlyList<SimOrder> accepted)
    {
        if (!options.Value.FillMarketOrdersOnAccept)
            return;
        stream.Flush();
        engine.FillMarketOrdersNow(accepted);
    }

    public static OrderSubmitted Submitted(SimOrder order) => new(order.OrderId.ToString(CultureInfo.InvariantCulture), order.Status, "1");

    private static string NewReplyId() => Guid.NewGuid().ToString();
}

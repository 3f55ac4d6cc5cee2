using System.Globalization;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Sessions;

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// Placing, confirming and modifying orders: business checks, questions with suppression, the reply loop, acceptance.
/// Every method is called while holding the user's gate, which is what makes place → reply… → accepted one sequence.
/// </summary>
public sealed class OrderDesk(
    OrderBook book, MarketPrices market, MarginCalculator margin, ExtraQuestions extra, IOptions<SimulatorOptions> options, TimeProvider time)
{
    public const string NotConfirmed = "Order not confirmed";

    public IResult Place(UserState user, BrokerageSession session, string accountId, IReadOnlyList<OrderTicket> tickets)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tickets);
        var problem = tickets.Select(t => OrderTicketRules.Check(t, accountId)).FirstOrDefault(p => p is not null)
            ?? OrderTicketRules.CheckGroup(tickets)
            ?? book.DuplicateOf(accountId, tickets);
        if (problem is not null)
            return IbkrResults.Rejected(problem);
        var impact = margin.Impact(accountId, tickets.First(t => t.ParentId is null));
        if (impact.ExceedsEquity)
            return IbkrResults.Rejected(impact.InsufficientEquityText());
        return AskOrFinish(user, new PendingReply(NewReplyId(), accountId, tickets, null, Questions(user, session, tickets)));
    }

    public IResult Modify(UserState user, BrokerageSession session, string accountId, long orderId, OrderTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(ticket);
        var problem = ModificationProblem(accountId, orderId, ticket) ?? OrderTicketRules.Check(ticket, accountId);
        if (problem is not null)
            return IbkrResults.Rejected(problem);
        return AskOrFinish(user, new PendingReply(NewReplyId(), accountId, [ticket], orderId, Questions(user, session, [ticket])));
    }

    public IResult Reply(UserState user, string replyId, bool confirmed)
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

        return pending.ModifiedOrderId is { } orderId
            ? ApplyModification(pending.AccountId, orderId, pending.Tickets[0])
            : Accept(user.UserId, pending.AccountId, pending.Tickets);
    }

    private IResult Accept(string userId, string accountId, IReadOnlyList<OrderTicket> tickets)
    {
        var (orders, error) = book.Accept(userId, accountId, tickets, time.GetUtcNow());
        if (orders is null)
            return IbkrResults.Rejected(error!);
        return Results.Json(orders.Select(o => new OrderSubmitted(o.OrderId.ToString(CultureInfo.InvariantCulture), o.Status, "1")).ToArray());
    }

    private string? ModificationProblem(string accountId, long orderId, OrderTicket ticket)
    {
        lock (book.Gate)
        {
            var order = book.Find(orderId);
            if (order is null || order.AccountId != accountId)
                return $"OrderID {orderId.ToString(CultureInfo.InvariantCulture)} doesn't exist";
            if (order.IsTerminal || order.CancelRequested)
                return $"Order {orderId.ToString(CultureInfo.InvariantCulture)} cannot be modified: it is {order.Status}";
            if (order.Conid != ticket.Conid || order.Side != ticket.Side)
                return "The contract and side of an order cannot be modified";
            if (ticket.Quantity < order.FilledQuantity)
                return "The new quantity is below the quantity already filled";
            return null;
        }
    }

    private IResult ApplyModification(string accountId, long orderId, OrderTicket ticket)
    {
        var problem = ModificationProblem(accountId, orderId, ticket);
        if (problem is not null)
            return IbkrResults.Rejected(problem);
        lock (book.Gate)
        {
            var order = book.Find(orderId)!;
            order.OrderType = ticket.OrderType;
            order.Quantity = ticket.Quantity;
            order.Price = ticket.Price;
            order.AuxPrice = ticket.AuxPrice;
            order.TrailingAmt = ticket.TrailingAmt;
            order.TrailingType = ticket.TrailingType;
            order.TrailingStop = null;
            order.Tif = ticket.Tif;
            order.LastChangeAt = time.GetUtcNow();
            return Results.Json(new[] { new OrderSubmitted(order.OrderId.ToString(CultureInfo.InvariantCulture), order.Status, "1") });
        }
    }

    private static string NewReplyId() => Guid.NewGuid().ToString();
}

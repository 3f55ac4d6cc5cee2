using System.Globalization;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Streaming;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Following and cancelling orders: live orders, order status, cancel (trades: <see cref="TradesEndpoint"/>).</summary>
public static class OrderTrackingEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/iserver/account/orders", LiveOrders);
        api.MapGet("/iserver/account/order/status/{orderId}", Status);
        api.MapDelete("/iserver/account/{accountId}/order/{orderId}", Cancel);
        TradesEndpoint.Map(api);
    }

    private static IResult LiveOrders(
        HttpContext context, TradingAccess access, OrderBook book, BehaviourSettings behaviour, SimulatorClock clock,
        string? filters = null, string? force = null, string? accountId = null)
    {
        var caller = Caller.Of(context);
        var rules = behaviour.Current;
        lock (caller.User.Gate)
        {
            var (session, refusal) = access.Check(caller, requireAccounts: true);
            if (session is null)
                return refusal!;
            session.LiveOrdersCalls++;
            var forced = string.Equals(force, "true", StringComparison.OrdinalIgnoreCase);
            if (forced || (session.LiveOrdersCalls == 1 && rules.FirstLiveOrdersCallEmpty))
                return Results.Json(new LiveOrdersResponse([], false));
            // IBKR's filter values are snake case ("pre_submitted"); statuses are not ("PreSubmitted").
            var statuses = string.IsNullOrWhiteSpace(filters)
                ? null
                : filters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(f => f.Replace("_", string.Empty, StringComparison.Ordinal))
                    .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var now = clock.GetUtcNow();
            var endedSince = EndedOrdersVisibleSince(session, rules);
            lock (book.Gate)
            {
                var listed = book.OrdersOf(caller.UserId)
                    .Where(o => (accountId is null || o.AccountId == accountId)
                        && IbkrRules.IsListedInLiveOrders(o.IsTerminal, o.AcceptedAt, o.EndedAt, endedSince, now, rules.LiveOrdersListingLag)
                        && (statuses is null || statuses.Contains(o.Status)))
                    .Select(LiveOrder.From);
                // IBKR's list sometimes holds the same order twice; a client must not count it as two.
                var orders = rules.LiveOrdersRepeatEntries ? listed.SelectMany(o => new[] { o, o }).ToList() : listed.ToList();
                return Results.Json(new LiveOrdersResponse(orders, true));
            }
        }
    }

    private static IResult Status(string orderId, HttpContext context, TradingAccess access, OrderBook book, BehaviourSettings behaviour)
    {
        var caller = Caller.Of(context);
        var rules = behaviour.Current;
        lock (caller.User.Gate)
        {
            var (session, refusal) = access.Check(caller, requireAccounts: true);
            if (session is null)
                return refusal!;
            lock (book.Gate)
            {
                var order = long.TryParse(orderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? book.Find(id) : null;
                if (order is null || order.UserId != caller.UserId)
                    return IbkrResults.ErrorWithCode(StatusCodes.Status400BadRequest, $"OrderID {orderId} doesn't exist");
                if (IbkrRules.IsOrderStatusUnavailable(order.IsTerminal, order.AcceptedAt, order.EndedAt, EndedOrdersVisibleSince(session, rules), rules.OrderStatusUnavailableFor))
                    return IbkrResults.ErrorWithCode(StatusCodes.Status503ServiceUnavailable, "Service Unavailable");
                return Results.Json(OrderStatusResponse.From(order));
            }
        }
    }

    private static IResult Cancel(
        string accountId, string orderId, HttpContext context, TradingAccess access, UserDirectory users, OrderBook book, OrderStreamHub stream) =>
        OrderEndpoints.WithTradingSession(context, access, users, accountId, (user, _) =>
        {
            try
            {
                return RequestCancel(accountId, orderId, user.UserId, book);
            }
            finally
            {
                stream.Flush();
            }
        });

    private static IResult RequestCancel(string accountId, string orderId, string userId, OrderBook book)
    {
        lock (book.Gate)
        {
            var order = long.TryParse(orderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? book.Find(id) : null;
            if (order is null || order.AccountId != accountId || order.UserId != userId)
                return IbkrResults.Rejected($"OrderID {orderId} doesn't exist");
            if (!order.IsTerminal && !order.CancelRequested)
            {
                order.CancelRequested = true;
                order.Status = OrderStatuses.PendingCancel;
                book.MarkChanged(order);
            }

            return Results.Json(new CancelSubmitted(
                "Request was submitted", order.OrderId.ToString(CultureInfo.InvariantCulture), order.Conid.ToString(CultureInfo.InvariantCulture), order.AccountId));
        }
    }

    /// <summary>
    /// Ended orders count as this session's when they ended after it started (IBKR), or after the previous session ended
    /// when the kinder legacy switch is on.
    /// </summary>
    private static DateTimeOffset EndedOrdersVisibleSince(BrokerageSession session, IbkrBehaviour rules) =>
        rules.LiveOrdersIncludeEndedBetweenSessions ? session.OrdersVisibleSince : session.StartedAt;
}

using System.Globalization;
using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Following and cancelling orders: live orders, trades, order status, cancel.</summary>
public static class OrderTrackingEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/iserver/account/orders", LiveOrders);
        api.MapGet("/iserver/account/order/status/{orderId}", Status);
        api.MapGet("/iserver/account/trades", Trades);
        api.MapDelete("/iserver/account/{accountId}/order/{orderId}", Cancel);
    }

    private static IResult LiveOrders(
        HttpContext context, TradingAccess access, OrderBook book, IOptions<SimulatorOptions> options,
        string? filters = null, string? force = null, string? accountId = null)
    {
        var caller = Caller.Of(context);
        lock (caller.User.Gate)
        {
            var (session, refusal) = access.Check(caller.User, requireAccounts: true);
            if (session is null)
                return refusal!;
            session.LiveOrdersCalls++;
            var forced = string.Equals(force, "true", StringComparison.OrdinalIgnoreCase);
            if (forced || (session.LiveOrdersCalls == 1 && options.Value.FirstLiveOrdersCallEmpty))
                return Results.Json(new LiveOrdersResponse([], false));
            var statuses = string.IsNullOrWhiteSpace(filters)
                ? null
                : filters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            lock (book.Gate)
            {
                var orders = book.OrdersOf(caller.UserId)
                    .Where(o => (accountId is null || o.AccountId == accountId)
                        && (!o.IsTerminal || o.LastChangeAt >= session.OrdersVisibleSince)
                        && (statuses is null || statuses.Contains(o.Status)))
                    .Select(LiveOrder.From)
                    .ToList();
                return Results.Json(new LiveOrdersResponse(orders, true));
            }
        }
    }

    /// <summary>Today's executions of every order of the user, whichever session they happened in.</summary>
    private static IResult Trades(HttpContext context, TradingAccess access, OrderBook book)
    {
        var caller = Caller.Of(context);
        lock (caller.User.Gate)
        {
            var (session, refusal) = access.Check(caller.User, requireAccounts: true);
            if (session is null)
                return refusal!;
            lock (book.Gate)
            {
                return Results.Json(book.OrdersOf(caller.UserId).Where(o => o.FilledQuantity > 0).Select(TradeEntry.From).ToList());
            }
        }
    }

    private static IResult Status(string orderId, HttpContext context, TradingAccess access, OrderBook book)
    {
        var caller = Caller.Of(context);
        lock (caller.User.Gate)
        {
            var (session, refusal) = access.Check(caller.User, requireAccounts: true);
            if (session is null)
                return refusal!;
            lock (book.Gate)
            {
                var order = long.TryParse(orderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? book.Find(id) : null;
                if (order is null || order.UserId != caller.UserId)
                    return IbkrResults.ErrorWithCode(StatusCodes.Status400BadRequest, $"OrderID {orderId} doesn't exist");
                if (order.IsTerminal && order.LastChangeAt < session.OrdersVisibleSince)
                    return IbkrResults.ErrorWithCode(StatusCodes.Status503ServiceUnavailable, "Service Unavailable");
                return Results.Json(OrderStatusResponse.From(order));
            }
        }
    }

    private static IResult Cancel(string accountId, string orderId, HttpContext context, TradingAccess access, UserDirectory users, OrderBook book) =>
        OrderEndpoints.WithTradingSession(context, access, users, accountId, (user, _) =>
        {
            lock (book.Gate)
            {
                var order = long.TryParse(orderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? book.Find(id) : null;
                if (order is null || order.AccountId != accountId || order.UserId != user.UserId)
                    return IbkrResults.Rejected($"OrderID {orderId} doesn't exist");
                if (!order.IsTerminal && !order.CancelRequested)
                {
                    order.CancelRequested = true;
                    order.Status = OrderStatuses.PendingCancel;
                }

                return Results.Json(new CancelSubmitted(
                    "Request was submitted", order.OrderId.ToString(CultureInfo.InvariantCulture), order.Conid.ToString(CultureInfo.InvariantCulture), order.AccountId));
            }
        });
}

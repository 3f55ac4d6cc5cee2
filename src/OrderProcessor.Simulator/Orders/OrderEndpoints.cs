using System.Globalization;
using System.Text.Json;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Placing, confirming, previewing and modifying orders.</summary>
public static class OrderEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/iserver/account/{accountId}/orders", PlaceAsync);
        api.MapPost("/iserver/account/{accountId}/orders/whatif", WhatIfAsync);
        api.MapPost("/iserver/reply/{replyId}", ReplyAsync);
        api.MapPost("/iserver/account/{accountId}/order/{orderId}", ModifyAsync);
    }

    private static async Task<IResult> PlaceAsync(string accountId, HttpContext context, TradingAccess access, UserDirectory users, OrderDesk desk)
    {
        var (document, failure) = await JsonBody.ReadAsync(context);
        if (document is null)
            return failure!;
        using (document)
        {
            var (tickets, error) = OrderTicketParser.ParseSubmission(document.RootElement);
            if (tickets is null)
                return IbkrResults.ServerError(error!);
            return WithTradingSession(context, access, users, accountId, (user, session) => desk.Place(user, session, accountId, tickets));
        }
    }

    private static async Task<IResult> WhatIfAsync(string accountId, HttpContext context, TradingAccess access, UserDirectory users, OrderDesk desk)
    {
        var (document, failure) = await JsonBody.ReadAsync(context);
        if (document is null)
            return failure!;
        using (document)
        {
            var (tickets, error) = OrderTicketParser.ParseSubmission(document.RootElement);
            if (tickets is null)
                return IbkrResults.ServerError(error!);
            return WithTradingSession(context, access, users, accountId, (user, session) => desk.WhatIf(user, session, accountId, tickets));
        }
    }

    private static async Task<IResult> ReplyAsync(string replyId, HttpContext context, TradingAccess access, OrderDesk desk)
    {
        var (document, failure) = await JsonBody.ReadAsync(context);
        if (document is null)
            return failure!;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("confirmed", out var c) || c.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return IbkrResults.ServerError("Request body must be {\"confirmed\":true|false}");
            var caller = Caller.Of(context);
            lock (caller.User.Gate)
            {
                var (session, refusal) = access.Check(caller, requireAccounts: true);
                return session is null ? refusal! : desk.Reply(caller.User, replyId, c.GetBoolean());
            }
        }
    }

    private static async Task<IResult> ModifyAsync(string accountId, string orderId, HttpContext context, TradingAccess access, UserDirectory users, OrderDesk desk)
    {
        var (document, failure) = await JsonBody.ReadAsync(context);
        if (document is null)
            return failure!;
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return IbkrResults.ServerError("The modify body is one order object, not an array");
            var (ticket, error) = OrderTicketParser.ParseTicket(document.RootElement);
            if (ticket is null)
                return IbkrResults.ServerError(error!);
            if (!long.TryParse(orderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                return IbkrResults.Rejected($"OrderID {orderId} doesn't exist");
            return WithTradingSession(context, access, users, accountId, (user, session) => desk.Modify(user, session, accountId, id, ticket));
        }
    }

    /// <summary>Runs a trading call under the user's gate, after the session, warm-up and account checks.</summary>
    public static IResult WithTradingSession(
        HttpContext context, TradingAccess access, UserDirectory users, string accountId, Func<UserState, BrokerageSession, IResult> call)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(call);
        var caller = Caller.Of(context);
        var user = caller.User;
        lock (user.Gate)
        {
            var (session, refusal) = access.Check(caller, requireAccounts: true);
            if (session is null)
                return refusal!;
            if (users.AccountsOf(caller.UserId) is not { } accounts || !accounts.Contains(accountId, StringComparer.Ordinal))
                return IbkrResults.InvalidAccount(accountId);
            return call(user, session);
        }
    }
}

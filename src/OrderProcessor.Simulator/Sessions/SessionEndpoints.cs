using System.Globalization;
using System.Text.Json;
using OrderProcessor.Simulator.Control;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>Brokerage session calls: ssodh/init, auth/status, tickle, logout and the accounts warm-up.</summary>
public static class SessionEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/iserver/auth/ssodh/init", InitAsync);
        api.MapPost("/iserver/auth/status", Status);
        api.MapPost("/tickle", Tickle);
        api.MapPost("/logout", Logout);
        api.MapGet("/iserver/accounts", Accounts);
    }

    private static async Task<IResult> InitAsync(HttpContext context, SimulatorCounters counters, TimeProvider time)
    {
        bool publish;
        bool compete;
        try
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = body.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return IbkrResults.ServerError("Request body must be a JSON object");
            publish = root.TryGetProperty("publish", out var p) && p.ValueKind == JsonValueKind.True;
            compete = root.TryGetProperty("compete", out var c) && c.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return IbkrResults.ServerError("Request body must be JSON {\"publish\":true,\"compete\":true}");
        }

        if (!publish)
            return IbkrResults.ServerError("publish must be true");
        var user = Caller.Of(context).User;
        lock (user.Gate)
        {
            if (user.CompetingElsewhere && !compete)
                return Results.Json(BrokerageSessionStatus.Of(authenticated: false, competing: true));
            user.CompetingElsewhere = false;
            user.StartSession(time.GetUtcNow());
        }

        counters.SessionInitialised();
        return Results.Json(BrokerageSessionStatus.Of(authenticated: true, competing: false));
    }

    private static IResult Status(HttpContext context, UserStateRegistry registry)
    {
        var user = Caller.Of(context).User;
        lock (user.Gate)
        {
            var session = registry.LiveSession(user);
            return Results.Json(BrokerageSessionStatus.Of(session is not null && !user.CompetingElsewhere, user.CompetingElsewhere));
        }
    }

    private static IResult Tickle(HttpContext context, UserStateRegistry registry, TimeProvider time)
    {
        var caller = Caller.Of(context);
        var user = caller.User;
        lock (user.Gate)
        {
            var session = registry.LiveSession(user);
            var authenticated = session is not null && !user.CompetingElsewhere;
            var ssoExpires = (int)Math.Max(0, (caller.Token.ExpiresAt - time.GetUtcNow()).TotalMilliseconds);
            return Results.Json(new TickleResponse(
                session?.Id ?? Fnv1a.Hash(caller.Token.Value).ToString("x8", CultureInfo.InvariantCulture),
                ssoExpires,
                user.CompetingElsewhere,
                (int)(Fnv1a.Hash(user.UserId) % 1_000_000_000u),
                new TickleHmds("no bridge"),
                new TickleIserver(BrokerageSessionStatus.Of(authenticated, user.CompetingElsewhere))));
        }
    }

    private static IResult Logout(HttpContext context, BearerTokenStore tokens, TimeProvider time)
    {
        var caller = Caller.Of(context);
        lock (caller.User.Gate)
        {
            caller.User.EndSession(time.GetUtcNow());
        }

        tokens.Revoke(caller.Token.Value);
        return Results.Json(new { status = true });
    }

    private static IResult Accounts(HttpContext context, TradingAccess access, UserDirectory directory)
    {
        var caller = Caller.Of(context);
        var accounts = directory.AccountsOf(caller.UserId) ?? [];
        lock (caller.User.Gate)
        {
            var (session, refusal) = access.Check(caller.User, requireAccounts: false);
            if (session is null)
                return refusal!;
            session.AccountsQueried = true;
            return Results.Json(new AccountsResponse(
                accounts,
                accounts.ToDictionary(a => a, _ => new AccountProperties(false, true, true, true, false)),
                accounts.Append("All").ToDictionary(a => a, a => a),
                new Dictionary<string, object>
                {
                    ["allowFXConv"] = true,
                    ["allowCrypto"] = false,
                    ["allowedAssetTypes"] = "STK,CFD,OPT,FOP,WAR,FUT,BAG,PDC,CASH,IND,BOND,BILL,FUND,SLB,News,CMDTY,IOPT,ICU,ICS,PHYSS,CRYPTO",
                    ["snapshotRefreshTimeout"] = 30,
                },
                ["All"],
                [],
                accounts.FirstOrDefault() ?? string.Empty,
                ServerInfo.Simulator,
                session.Id,
                false,
                true));
        }
    }
}

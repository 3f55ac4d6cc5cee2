using System.Globalization;
using System.Text.Json;
using OrderProcessor.Simulator.Clock;
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

    private static async Task<IResult> InitAsync(HttpContext context, SimulatorCounters counters, UserStateRegistry registry, SimulatorClock time)
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
        var caller = Caller.Of(context);
        var user = caller.User;
        lock (user.Gate)
        {
            if (user.CompetingElsewhere && !compete)
                return Results.Json(BrokerageSessionStatus.Of(authenticated: false, competing: true));
            // The session belongs to the token that opened it: another token (a second processor instance) takes it
            // only with compete:true; without, it is told that someone competes and stays without a session.
            if (!compete && registry.LiveSession(user) is not null && user.IsHeldByAnotherToken(caller.Token.Value))
            {
                user.RefuseSession(caller.Token.Value);
                return Results.Json(BrokerageSessionStatus.Of(authenticated: false, competing: true));
            }

            user.CompetingElsewhere = false;
            user.StartSession(caller.Token.Value, time.GetUtcNow());
        }

        counters.SessionInitialised();
        return Results.Json(BrokerageSessionStatus.Of(authenticated: true, competing: false));
    }

    private static IResult Status(HttpContext context, TradingAccess access)
    {
        var caller = Caller.Of(context);
        lock (caller.User.Gate)
        {
            var session = access.SessionOf(caller);
            return Results.Json(BrokerageSessionStatus.Of(session is not null, access.IsCompeting(caller)));
        }
    }

    private static IResult Tickle(HttpContext context, TradingAccess access, SimulatorClock time)
    {
        var caller = Caller.Of(context);
        var user = caller.User;
        lock (user.Gate)
        {
            var session = access.SessionOf(caller);
            var competing = access.IsCompeting(caller);
            return Results.Json(TickleAnswer(caller, session?.Id, competing, BrokerageSessionStatus.Of(session is not null, competing), time.GetUtcNow()));
        }
    }

    /// <summary>
    /// IBKR's tickle answer: the web session lives while the bearer token does, so it answers 200 even without a
    /// brokerage session (then <c>session</c> is the web session's own id and <c>iserver.authStatus</c> says so).
    /// </summary>
    public static TickleResponse TickleAnswer(Caller caller, string? sessionId, bool competing, BrokerageSessionStatus status, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var ssoExpires = (int)Math.Max(0, (caller.Token.ExpiresAt - now).TotalMilliseconds);
        return new TickleResponse(
            sessionId ?? Fnv1a.Hash(caller.Token.Value).ToString("x8", CultureInfo.InvariantCulture),
            ssoExpires,
            competing,
            (int)(Fnv1a.Hash(caller.UserId) % 1_000_000_000u),
            new TickleHmds("no bridge"),
            new TickleIserver(status));
    }

    private static IResult Logout(HttpContext context, TradingAccess access, BearerTokenStore tokens, SimulatorClock time)
    {
        var caller = Caller.Of(context);
        lock (caller.User.Gate)
        {
            // A token logs out of its own session only: another token's session (another instance) stays.
            if (access.SessionOf(caller, joinIfNew: false) is not null)
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
            var (session, refusal) = access.Check(caller, requireAccounts: false);
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

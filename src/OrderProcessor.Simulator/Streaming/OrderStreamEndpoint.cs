using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Sessions;

namespace OrderProcessor.Simulator.Streaming;

/// <summary>
/// <c>GET /v1/api/ws</c>: IBKR's websocket. The bearer token comes as the <c>bearer_token</c> query parameter (read by
/// <see cref="IbkrAuthenticationMiddleware"/>); the cookie <c>api</c> must hold the caller's live brokerage session id
/// (the <c>session</c> of <c>POST /tickle</c>). Without both: 401 before the upgrade.
/// </summary>
public static class OrderStreamEndpoint
{
    public const string Path = "/ws";
    public const string FullPath = IbkrAuthenticationMiddleware.BasePath + Path;
    public const string CookieName = "api";
    public const string TokenQueryParameter = "bearer_token";

    public static void Map(IEndpointRouteBuilder api) => api.Map(Path, HandleAsync);

    private static async Task HandleAsync(HttpContext context, TradingAccess access, OrderStreamHub hub)
    {
        var caller = Caller.Of(context);
        var user = caller.User;
        OrderStreamConnection? connection = null;
        string? refusal;
        lock (user.Gate)
        {
            var session = access.SessionOf(caller);
            refusal = session is null
                ? (access.IsCompeting(caller) ? "competing session" : "not authenticated")
                : context.Request.Cookies[CookieName] is not { } cookie || !string.Equals(cookie, session.Id, StringComparison.Ordinal)
                    ? "the api cookie is missing or is not the session's"
                    : null;
            if (refusal is null && context.WebSockets.IsWebSocketRequest)
                connection = hub.Open(user, session!.Id);
        }

        if (refusal is not null)
        {
            hub.Stats.RefusedUpgrade();
            StreamLog.Refused(hub.Logger, caller.UserId, refusal);
            await IbkrResults.Unauthorized(refusal).ExecuteAsync(context);
            return;
        }

        if (connection is null)
        {
            await IbkrResults.ErrorWithCode(StatusCodes.Status400BadRequest, "websocket upgrade expected").ExecuteAsync(context);
            return;
        }

        System.Net.WebSockets.WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync();
        }
        catch
        {
            hub.Forget(connection);
            throw;
        }

        using (socket)
            await hub.RunAsync(connection, socket, context.RequestAborted);
    }
}

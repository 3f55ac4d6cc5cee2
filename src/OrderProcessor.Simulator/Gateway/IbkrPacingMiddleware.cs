using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Sessions;

namespace OrderProcessor.Simulator.Gateway;

/// <summary>
/// Per-user and per-endpoint pacing (429), then what every request that got through does to the user's state:
/// keeps the brokerage session alive and makes a waiting question stale.
/// </summary>
public sealed class IbkrPacingMiddleware(RequestDelegate next, TradingAccess access, SimulatorClock time)
{
    public const string LiveOrdersPath = "/v1/api/iserver/account/orders";
    public const string TicklePath = "/v1/api/tickle";
    public const string ReplyPathPrefix = "/v1/api/iserver/reply/";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Path.StartsWithSegments(IbkrAuthenticationMiddleware.BasePath))
        {
            await next(context);
            return;
        }

        var caller = Caller.Of(context);
        var user = caller.User;
        var path = context.Request.Path.Value ?? string.Empty;
        var now = time.GetUtcNow();
        bool paced;
        lock (user.Gate)
        {
            paced = !user.Requests.TryTake(now)
                || (IsLiveOrders(context, path) && !user.LiveOrders.TryPass(now))
                || (IsTickle(path) && !user.Tickle.TryPass(now));
            if (!paced)
            {
                // Only the session's own tokens keep it alive; a token that lost it to another instance does not.
                if (access.SessionOf(caller, joinIfNew: false) is { } session)
                    session.LastActivity = now;
                // IBKR drops a question when any other request of the user comes before its reply; tickle is
                // answered by the web layer and leaves it alone, and so (an assumption) does the websocket upgrade,
                // which is a separate channel.
                if (!path.StartsWith(ReplyPathPrefix, StringComparison.Ordinal) && !IsTickle(path) && !IbkrAuthenticationMiddleware.IsWebSocket(context))
                    user.PendingReply = null;
            }
        }

        if (paced)
        {
            await IbkrResults.TooManyRequests().ExecuteAsync(context);
            return;
        }

        await next(context);
    }

    private static bool IsLiveOrders(HttpContext context, string path) =>
        HttpMethods.IsGet(context.Request.Method) && string.Equals(path.TrimEnd('/'), LiveOrdersPath, StringComparison.Ordinal);

    private static bool IsTickle(string path) => string.Equals(path.TrimEnd('/'), TicklePath, StringComparison.Ordinal);
}

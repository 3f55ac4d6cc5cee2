using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Sessions;

namespace OrderProcessor.Simulator.Gateway;

/// <summary>Every IBKR call needs a live bearer token used from the IP it is bound to; otherwise 401.</summary>
public sealed class IbkrAuthenticationMiddleware(RequestDelegate next, BearerTokenStore tokens, UserStateRegistry users)
{
    public const string BasePath = "/v1/api";

    /// <summary>The websocket path, the only one where the token comes as the <c>bearer_token</c> query parameter (IBKR's OAuth 2.0 form).</summary>
    public const string WebSocketPath = BasePath + "/ws";

    /// <summary>The bearer token of an IBKR call: the Authorization header, or on <see cref="WebSocketPath"/> the <c>bearer_token</c> query parameter.</summary>
    public static string? BearerTokenOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        if (IsWebSocket(context) && context.Request.Query["bearer_token"].ToString() is { Length: > 0 } query)
            return query;
        return null;
    }

    public static bool IsWebSocket(HttpContext context) =>
        string.Equals(context?.Request.Path.Value?.TrimEnd('/'), WebSocketPath, StringComparison.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Path.StartsWithSegments(BasePath))
        {
            await next(context);
            return;
        }

        var value = BearerTokenOf(context);
        var (token, failure) = tokens.Resolve(value, ClientIp.Of(context));
        if (token is null)
        {
            await IbkrResults.Unauthorized(failure!).ExecuteAsync(context);
            return;
        }

        Caller.Attach(context, new Caller(token, users.Get(token.UserId)));
        await next(context);
    }
}

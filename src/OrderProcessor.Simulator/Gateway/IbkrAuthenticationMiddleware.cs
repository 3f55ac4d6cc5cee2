using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Sessions;

namespace OrderProcessor.Simulator.Gateway;

/// <summary>Every IBKR call needs a live bearer token used from the IP it is bound to; otherwise 401.</summary>
public sealed class IbkrAuthenticationMiddleware(RequestDelegate next, BearerTokenStore tokens, UserStateRegistry users)
{
    public const string BasePath = "/v1/api";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Path.StartsWithSegments(BasePath))
        {
            await next(context);
            return;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var value = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
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

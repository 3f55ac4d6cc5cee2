using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Maintenance;

namespace OrderProcessor.Simulator.Control;

/// <summary>Records every request except the control API's own, with the status it got.</summary>
public sealed class RequestLogMiddleware(RequestDelegate next, RequestLog log, SimulatorClock time)
{
    /// <summary>The first 8 hex digits of SHA-256 of the bearer token: enough to tell callers apart, useless as a credential.</summary>
    private static string? TokenFingerprint(HttpContext context)
    {
        // On the websocket the token is in the query; the log keeps the path only, never the query.
        var token = IbkrAuthenticationMiddleware.BearerTokenOf(context);
        if (token is null)
        {
            return null;
        }

        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
        return Convert.ToHexStringLower(hash)[..8];
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Path.StartsWithSegments(ControlEndpoints.BasePath))
        {
            await next(context);
            return;
        }

        var at = time.GetUtcNow();
        try
        {
            await next(context);
        }
        finally
        {
            var lost = context.Items.ContainsKey(FaultMiddleware.AnswerLostItem);
            var maintenance = context.Items.ContainsKey(MaintenanceMiddleware.AnsweredItem);
            var endpoint = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? string.Empty;
            log.Add(
                new RequestLogEntry(at, context.Request.Method, context.Request.Path.Value ?? string.Empty, Caller.UserIdOf(context), context.Response.StatusCode, lost,
                    TokenFingerprint(context), maintenance),
                context.Request.Method + " " + endpoint);
        }
    }
}

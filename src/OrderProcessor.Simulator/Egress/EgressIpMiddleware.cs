using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.PiTrade;

namespace OrderProcessor.Simulator.Egress;

/// <summary>
/// Counts every IBKR-side request per calling IP before anything else looks at it, refuses it while the IP is over its
/// limit or in the penalty box, and tells the meter about every 429 the request ends with (whichever rule answered it).
/// </summary>
public sealed class EgressIpMiddleware(RequestDelegate next, EgressIpMeter meter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Path.StartsWithSegments(IbkrAuthenticationMiddleware.BasePath))
        {
            await next(context);
            return;
        }

        var ip = ClientIp.Of(context);
        try
        {
            if (meter.Arrive(ip))
            {
                await IbkrResults.TooManyRequests().ExecuteAsync(context);
                return;
            }

            await next(context);
        }
        finally
        {
            if (context.Response.StatusCode == StatusCodes.Status429TooManyRequests)
                meter.TooManyRequestsAnswered(ip);
        }
    }
}

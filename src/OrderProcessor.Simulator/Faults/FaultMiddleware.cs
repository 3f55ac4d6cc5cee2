using System.Text.Json;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.PiTrade;

namespace OrderProcessor.Simulator.Faults;

/// <summary>
/// Applies the injected faults to PiTrade and IBKR calls (never to the control API). A websocket upgrade gets 5xx/429, or
/// (answer lost, canned) a reset connection; once open, the socket's own faults are the stream controls'.
/// </summary>
public sealed class FaultMiddleware(RequestDelegate next, FaultInjector faults)
{
    public const string AnswerLostItem = "sim.answerLost";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        var isToken = path.StartsWithSegments(BearerTokenEndpoint.Path);
        if (!isToken && !path.StartsWithSegments(IbkrAuthenticationMiddleware.BasePath))
        {
            await next(context);
            return;
        }

        if (isToken)
            Caller.SetUserId(context, await PeekUserIdAsync(context.Request));
        var (kind, latency, settings) = faults.Decide(path.Value ?? string.Empty, Caller.UserIdOf(context));
        if (latency > TimeSpan.Zero)
            await Task.Delay(latency, context.RequestAborted); // wall-clock network delay, not simulated market time
        if (IbkrAuthenticationMiddleware.IsWebSocket(context) && kind is FaultKind.AnswerLost or FaultKind.Canned)
        {
            // A websocket upgrade has no answer to lose or replace: the fault refuses it (the connection is reset).
            context.Abort();
            return;
        }

        switch (kind)
        {
            case FaultKind.ServerError:
                await IbkrResults.ErrorWithCode(settings.ServerErrorStatus, "Service Unavailable").ExecuteAsync(context);
                return;
            case FaultKind.TooManyRequests:
                await IbkrResults.TooManyRequests().ExecuteAsync(context);
                return;
            case FaultKind.AnswerLost:
                await RunAndLoseAnswerAsync(context, settings);
                return;
            case FaultKind.Canned when settings.CannedAfterProcessing:
                await RunAndReplaceAnswerAsync(context, settings);
                return;
            case FaultKind.Canned:
                await WriteCannedAsync(context, settings);
                return;
            default:
                await next(context);
                return;
        }
    }

    private async Task RunAndReplaceAnswerAsync(HttpContext context, FaultSettings settings)
    {
        await ProcessDiscardingAnswerAsync(context);

        context.Response.Clear();
        await WriteCannedAsync(context, settings);
    }

    /// <summary>IBKR processes the request; the answer it would have written is thrown away.</summary>
    private async Task ProcessDiscardingAnswerAsync(HttpContext context)
    {
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
    }

    private static async Task WriteCannedAsync(HttpContext context, FaultSettings settings)
    {
        context.Response.StatusCode = settings.CannedStatus;
        if (settings.CannedBody is { } body)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    }

    private async Task RunAndLoseAnswerAsync(HttpContext context, FaultSettings settings)
    {
        await ProcessDiscardingAnswerAsync(context);

        context.Items[AnswerLostItem] = true;
        if (settings.AnswerLostAs == "504")
        {
            context.Response.Clear();
            await IbkrResults.ErrorWithCode(StatusCodes.Status504GatewayTimeout, "Gateway Timeout").ExecuteAsync(context);
            return;
        }

        context.Abort();
    }

    private static async Task<string?> PeekUserIdAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("userId", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}

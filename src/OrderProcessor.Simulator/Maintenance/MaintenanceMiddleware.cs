using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Streaming;

namespace OrderProcessor.Simulator.Maintenance;

/// <summary>
/// IBKR's brokerage back-end during a maintenance window (the nightly reset, the weekend maintenance): the web layer
/// still answers tickle (200, <c>connected:false</c>), auth status and init say <c>connected:false</c> and open nothing,
/// every other <c>/iserver</c> call gets <see cref="IbkrBehaviour.MaintenanceAnswer"/> and acts on nothing, and the
/// websocket upgrade is refused with 503. PiTrade's bearer tokens and the exchange (the order engine) carry on.
/// </summary>
public sealed class MaintenanceMiddleware(RequestDelegate next, MaintenanceWindow window, BehaviourSettings behaviour, SimulatorClock time, OrderStreamHub hub)
{
    /// <summary>Set on a request the window answered, for the request log.</summary>
    public const string AnsweredItem = "sim.maintenance";

    private const string IserverPrefix = IbkrAuthenticationMiddleware.BasePath + "/iserver";
    private const string InitPath = IserverPrefix + "/auth/ssodh/init";
    private const string StatusPath = IserverPrefix + "/auth/status";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var answer = window.IsActiveFor(Caller.UserIdOf(context)) ? AnswerOf(context) : null;
        if (answer is null)
        {
            await next(context);
            return;
        }

        window.Refused();
        context.Items[AnsweredItem] = true;
        await answer.ExecuteAsync(context);
    }

    /// <summary>What the window answers instead of IBKR, or null when the request goes on (logout, PiTrade, the control API).</summary>
    private IResult? AnswerOf(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? string.Empty).TrimEnd('/');
        if (IbkrAuthenticationMiddleware.IsWebSocket(context))
        {
            hub.Stats.RefusedUpgrade();
            return IbkrResults.ErrorWithCode(StatusCodes.Status503ServiceUnavailable, "Service Unavailable");
        }

        if (string.Equals(path, IbkrPacingMiddleware.TicklePath, StringComparison.Ordinal))
        {
            return Results.Json(SessionEndpoints.TickleAnswer(Caller.Of(context), null, false, BrokerageSessionStatus.Disconnected(), time.GetUtcNow()));
        }

        if (string.Equals(path, InitPath, StringComparison.Ordinal) || string.Equals(path, StatusPath, StringComparison.Ordinal))
            return Results.Json(BrokerageSessionStatus.Disconnected());
        if (!path.StartsWith(IserverPrefix + "/", StringComparison.Ordinal))
            return null;
        return behaviour.Current.MaintenanceAnswer switch
        {
            MaintenanceAnswer.Unauthorized => IbkrResults.Unauthorized("not authenticated"),
            MaintenanceAnswer.NoBridge => IbkrResults.ErrorWithCode(StatusCodes.Status400BadRequest, "no bridge"),
            _ => IbkrResults.ErrorWithCode(StatusCodes.Status503ServiceUnavailable, "Service Unavailable"),
        };
    }
}

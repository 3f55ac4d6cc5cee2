using OrderProcessor.Simulator.Control;
using OrderProcessor.Simulator.Egress;
using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Gateway;
using OrderProcessor.Simulator.Maintenance;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.PiTrade;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Streaming;

namespace OrderProcessor.Simulator;

/// <summary>The simulator's request pipeline and endpoints.</summary>
public static class SimulatorApplicationExtensions
{
    public static WebApplication UseSimulator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Order matters: log everything, count and limit per calling IP, authenticate IBKR calls, answer for IBKR's back-end
        // while it is in maintenance, inject faults, pace,
        // accept websocket upgrades (/v1/api/ws), then the endpoint.
        app.UseMiddleware<RequestLogMiddleware>();
        app.UseMiddleware<EgressIpMiddleware>();
        app.UseMiddleware<IbkrAuthenticationMiddleware>();
        app.UseMiddleware<MaintenanceMiddleware>();
        app.UseMiddleware<FaultMiddleware>();
        app.UseMiddleware<IbkrPacingMiddleware>();
        app.UseWebSockets();

        app.MapGet("/", () => "OrderProcessor simulator: PiTrade + IBKR Web API stand-in. Control API under /__sim.");
        BearerTokenEndpoint.Map(app);
        var api = app.MapGroup(IbkrAuthenticationMiddleware.BasePath);
        SessionEndpoints.Map(api);
        QuestionEndpoints.Map(api);
        OrderEndpoints.Map(api);
        OrderTrackingEndpoints.Map(api);
        OrderStreamEndpoint.Map(api);
        ControlEndpoints.Map(app);
        StreamControlEndpoints.Map(app);
        return app;
    }
}

namespace OrderProcessor.Simulator.Control;

/// <summary>
/// <c>PUT /__sim/maintenance {"seconds":N,"users":null}</c> starts an IBKR maintenance window of N seconds (simulator
/// clock), for every user or only the listed ones;
/// <c>GET</c> reports it, <c>DELETE</c> ends it.
/// </summary>
public static class MaintenanceEndpoints
{
    public static void Map(RouteGroupBuilder sim)
    {
        ArgumentNullException.ThrowIfNull(sim);
        sim.MapGet("/maintenance", (SimulatorControl c) => Results.Json(c.Maintenance));
        sim.MapPut("/maintenance", (MaintenanceRequest body, SimulatorControl c) =>
        {
            if (body.Seconds is not > 0)
                return Results.BadRequest(new { error = "seconds must be a number greater than 0" });
            if (body.Users is { } users && (users.Count == 0 || users.Any(string.IsNullOrWhiteSpace)))
                return Results.BadRequest(new { error = "users, when given, must list at least one non-empty user id" });
            return Results.Json(c.StartMaintenance(TimeSpan.FromSeconds(body.Seconds.Value), body.Users));
        });
        sim.MapDelete("/maintenance", (SimulatorControl c) => { c.EndMaintenance(); return Results.NoContent(); });
    }
}

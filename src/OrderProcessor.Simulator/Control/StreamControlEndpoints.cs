using OrderProcessor.Simulator.Streaming;

namespace OrderProcessor.Simulator.Control;

/// <summary>The control API of the websocket (<c>/__sim/stream</c>, <c>/__sim/users/{userId}/stream/…</c>); each calls a <see cref="SimulatorControl"/> method.</summary>
public static class StreamControlEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup(ControlEndpoints.BasePath);
        sim.MapGet("/stream", (SimulatorControl c) => Results.Json(c.Stream()));
        sim.MapDelete("/stream/faults", (SimulatorControl c) => { c.ClearStreamFaults(); return Results.NoContent(); });
        sim.MapPost("/stream/drop-every", (StreamDropEveryRequest body, SimulatorControl c) =>
        {
            if (body.Every is null)
            {
                c.DropStreamsEvery(null);
                return Results.NoContent();
            }

            if (!DurationText.TryParse(body.Every, out var every) || every < TimeSpan.Zero)
                return Results.BadRequest(new { error = "every must be a duration such as \"00:00:20\" (\"00:00:00\" or null stops it)" });
            c.DropStreamsEvery(every == TimeSpan.Zero ? null : every);
            return Results.NoContent();
        });
        var user = sim.MapGroup("/users/{userId}/stream");
        user.MapPost("/drop", (string userId, StreamDropRequest? body, SimulatorControl c) =>
            Results.Json(new { dropped = c.DropStream(userId, body?.Graceful ?? false) }));
        user.MapPost("/stall", (string userId, StreamStallRequest body, SimulatorControl c) =>
        {
            if (!DurationText.TryParse(body.For, out var duration) || duration <= TimeSpan.Zero)
                return Results.BadRequest(new { error = "for must be a positive duration such as \"00:00:30\"" });
            c.StallStream(userId, duration);
            return Results.NoContent();
        });
        user.MapPost("/delay", (string userId, StreamDelayRequest body, SimulatorControl c) =>
        {
            if (!DurationText.TryParse(body.By, out var by) || by < TimeSpan.Zero)
                return Results.BadRequest(new { error = "by must be a duration such as \"00:00:02\" (\"00:00:00\" ends the delay)" });
            c.DelayStream(userId, by);
            return Results.NoContent();
        });
        user.MapPost("/garbage", (string userId, StreamGarbageRequest body, SimulatorControl c) =>
        {
            if (!Enum.TryParse<StreamGarbageKind>(body.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind) || int.TryParse(body.Kind, out _))
                return Results.BadRequest(new { error = "kind must be malformed, partial, notJson or unknownTopic" });
            if (body.Count <= 0)
                return Results.BadRequest(new { error = "count must be greater than 0" });
            return Results.Json(new { sockets = c.SendStreamGarbage(userId, kind, body.Count) });
        });
        user.MapPost("/duplicate", (string userId, StreamDuplicateRequest? body, SimulatorControl c) =>
        {
            var count = body?.Count ?? 1;
            if (count <= 0)
                return Results.BadRequest(new { error = "count must be greater than 0" });
            c.DuplicateStreamFrames(userId, count);
            return Results.NoContent();
        });
    }
}

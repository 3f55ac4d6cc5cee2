using OrderProcessor.Simulator.Engine;
using OrderProcessor.Simulator.Orders;

namespace OrderProcessor.Simulator.Control;

/// <summary>The control API's scenario switches: the clock, IBKR's rules, partial acceptance, and order fates at the exchange.</summary>
public static class ScenarioEndpoints
{
    public static void Map(RouteGroupBuilder sim)
    {
        ArgumentNullException.ThrowIfNull(sim);
        sim.MapGet("/clock", (SimulatorControl c) => Results.Json(new { now = c.Now, offset = c.ClockOffset }));
        sim.MapPost("/clock/advance", (ClockAdvanceRequest body, SimulatorControl c) =>
        {
            if (!DurationText.TryParse(body.By, out var by) || by < TimeSpan.Zero)
                return Results.BadRequest(new { error = "by must be a positive duration such as \"25:00:00\" or \"1.01:00:00\"" });
            c.AdvanceClock(by);
            return Results.Json(new { now = c.Now, offset = c.ClockOffset });
        });
        sim.MapGet("/behaviour", (SimulatorControl c) => Results.Json(c.Behaviour));
        sim.MapPatch("/behaviour", (BehaviourPatch patch, SimulatorControl c) =>
        {
            var (behaviour, problem) = patch.ApplyTo(c.Behaviour);
            if (behaviour is null)
                return Results.BadRequest(new { error = problem });
            c.SetBehaviour(behaviour);
            return Results.Json(behaviour);
        });
        sim.MapDelete("/behaviour", (SimulatorControl c) => { c.ResetBehaviour(); return Results.NoContent(); });
        sim.MapGet("/group-answers", (SimulatorControl c) => Results.Json(c.GroupAnswers));
        sim.MapPut("/group-answers", (GroupAnswerSettings settings, SimulatorControl c) =>
        {
            var problem = settings.Problem();
            if (problem is not null)
                return Results.BadRequest(new { error = problem });
            c.SetGroupAnswers(settings);
            return Results.NoContent();
        });
        sim.MapDelete("/group-answers", (SimulatorControl c) => { c.ClearGroupAnswers(); return Results.NoContent(); });
        sim.MapPost("/orders/{orderKey}/inactive", (string orderKey, OrderFateRequest? body, SimulatorControl c) =>
            Answer(c.MakeInactive(orderKey, body?.WhenNoSession ?? false)));
        sim.MapPost("/orders/{orderKey}/exchange-cancel", (string orderKey, OrderFateRequest? body, SimulatorControl c) =>
            Answer(c.CancelAtExchange(orderKey, body?.WhenNoSession ?? false)));
        sim.MapPost("/orders/{orderKey}/fill", (string orderKey, OrderFateRequest? body, SimulatorControl c) =>
        {
            if (body?.Quantity is <= 0 || body?.Price is <= 0)
                return Results.BadRequest(new { error = "quantity and price must be positive when given" });
            return Answer(c.Fill(orderKey, body?.Quantity, body?.Price, body?.WhenNoSession ?? false));
        });
    }

    private static IResult Answer(FateOutcome outcome) => outcome switch
    {
        FateOutcome.Done => Results.NoContent(),
        FateOutcome.Deferred => Results.Accepted(),
        FateOutcome.NotFound => Results.NotFound(new { error = "no order has that id or cOID" }),
        FateOutcome.AllOrNoneNotSplit => Results.Conflict(new { error = "an all-or-none order fills all at once: leave out the quantity" }),
        FateOutcome.WholeUnitsOnly => Results.Conflict(new { error = "this instrument fills in whole units only" }),
        _ => Results.Conflict(new { error = "the order has already ended" }),
    };
}

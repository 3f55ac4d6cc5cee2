using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Orders;

namespace OrderProcessor.Simulator.Control;

/// <summary>The test-control API under <c>/__sim</c> (never part of IBKR).</summary>
public static class ControlEndpoints
{
    public const string BasePath = "/__sim";

    public static void Map(IEndpointRouteBuilder app)
    {
        var sim = app.MapGroup(BasePath);
        sim.MapPost("/reset", (SimulatorControl c) => { c.Reset(); return Results.NoContent(); });
        sim.MapGet("/faults", (SimulatorControl c) => Results.Json(c.Faults));
        sim.MapPut("/faults", (FaultSettings settings, SimulatorControl c) =>
        {
            var problem = settings.Problem();
            if (problem is not null)
                return Results.BadRequest(new { error = problem });
            c.SetFaults(settings);
            return Results.NoContent();
        });
        sim.MapDelete("/faults", (SimulatorControl c) => { c.ClearFaults(); return Results.NoContent(); });
        sim.MapPost("/users/{userId}/drop-session", (string userId, SimulatorControl c) => { c.DropSession(userId); return Results.NoContent(); });
        sim.MapPost("/users/{userId}/compete", (string userId, SimulatorControl c) => { c.Compete(userId); return Results.NoContent(); });
        sim.MapPut("/users/{userId}", (string userId, UserAccountsRequest body, SimulatorControl c) =>
        {
            if (body.Accounts is not { Count: > 0 } accounts || accounts.Any(string.IsNullOrWhiteSpace))
                return Results.BadRequest(new { error = "accounts must list at least one account id" });
            c.SetUserAccounts(userId, accounts);
            return Results.NoContent();
        });
        sim.MapPut("/questions", (ExtraQuestionsRequest body, SimulatorControl c) =>
        {
            var questions = body.ExtraQuestions ?? [];
            if (questions.Any(q => string.IsNullOrWhiteSpace(q.Id)))
                return Results.BadRequest(new { error = "every question needs an id" });
            c.SetExtraQuestions(questions.Select(q => new Question(q.Id!, q.Text ?? "Are you sure you want to submit this order?")).ToList(), body.ForUserId);
            return Results.NoContent();
        });
        sim.MapPut("/market/{conid:int}", (int conid, PinPriceRequest body, SimulatorControl c) =>
        {
            if (body.Price is not > 0)
                return Results.BadRequest(new { error = "price must be a positive number" });
            if (body.Bid is null != body.Ask is null || body.Bid is <= 0 || body.Bid > body.Ask)
                return Results.BadRequest(new { error = "bid and ask come together, positive, bid <= ask" });
            if (body.Bid is { } bid)
                c.PinPrice(conid, body.Price.Value, new Quote(bid, body.Ask!.Value));
            else
                c.PinPrice(conid, body.Price.Value);
            return Results.NoContent();
        });
        sim.MapDelete("/market/{conid:int}", (int conid, SimulatorControl c) => { c.UnpinPrice(conid); return Results.NoContent(); });
        sim.MapGet("/market/{conid:int}", (int conid, SimulatorControl c) =>
        {
            var quote = c.QuoteOf(conid);
            return Results.Json(new { conid, price = c.PriceOf(conid), bid = quote.Bid, ask = quote.Ask });
        });
        sim.MapGet("/instruments", () => Results.Json(InstrumentCatalog.SpecialInstruments));
        sim.MapPost("/market/tick", (SimulatorControl c) => { c.Tick(); return Results.NoContent(); });
        sim.MapGet("/ledger", (SimulatorControl c) => Results.Json(c.Ledger()));
        sim.MapGet("/requests", (SimulatorControl c) => Results.Json(c.Requests()));
        sim.MapGet("/egress", (SimulatorControl c) => Results.Json(c.Egress()));
        sim.MapPost("/egress/{ip}/penalty-box", (string ip, PenaltyBoxRequest body, SimulatorControl c) =>
        {
            if (body.Seconds <= 0)
                return Results.BadRequest(new { error = "seconds must be greater than 0" });
            c.PenaltyBox(ip, TimeSpan.FromSeconds(body.Seconds));
            return Results.NoContent();
        });
        sim.MapGet("/stats", (SimulatorControl c) => Results.Json(c.Stats()));
        ScenarioEndpoints.Map(sim);
        MaintenanceEndpoints.Map(sim);
    }
}

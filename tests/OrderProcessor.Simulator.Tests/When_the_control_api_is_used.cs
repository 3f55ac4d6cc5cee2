using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_the_control_api_is_used
{
    private const int Conid = 265598;

    [Fact]
    public async Task Should_expose_the_ledger_requests_and_stats_over_http()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 2, cOID: "http-1"));
        using var control = host.CreateClient();

        var ledger = await control.GetFromJsonAsync<JsonElement>("/__sim/ledger");
        var requests = await control.GetFromJsonAsync<JsonElement>("/__sim/requests");
        var stats = await control.GetFromJsonAsync<JsonElement>("/__sim/stats");

        var entry = Assert.Single(ledger.EnumerateArray());
        foreach (var field in new[] { "orderId", "cOID", "userId", "accountId", "conid", "side", "orderType", "quantity", "price", "auxPrice", "status", "filledQuantity", "avgPrice", "parentId", "ocaGroup", "acceptedAt" })
            Assert.True(entry.TryGetProperty(field, out _), "ledger entry lacks " + field);
        Assert.Equal("http-1", entry.GetProperty("cOID").GetString());
        Assert.Contains(requests.EnumerateArray(), r => r.GetProperty("path").GetString() == "/brokerage-bearer-token" && r.GetProperty("userId").GetString() == "alice");
        Assert.All(requests.EnumerateArray(), r => Assert.True(r.TryGetProperty("at", out _) && r.TryGetProperty("method", out _) && r.TryGetProperty("status", out _)));
        Assert.Equal(1, stats.GetProperty("sessionsInitialised").GetInt32());
        Assert.Equal(1, stats.GetProperty("byEndpoint").GetProperty("POST /v1/api/iserver/account/{accountId}/orders").GetProperty("200").GetInt32());
    }

    [Fact]
    public async Task Should_pin_prices_add_questions_and_manage_users_over_http()
    {
        using var host = new SimulatorHost();
        using var control = host.CreateClient();

        using var pin = await control.PutAsJsonAsync("/__sim/market/" + Conid, new { price = 123.45 });
        using var questions = await control.PutAsJsonAsync("/__sim/questions", new { extraQuestions = new[] { new { id = "o9999", text = "Really?" } }, forUserId = (string?)null });
        using var users = await control.PutAsJsonAsync("/__sim/users/dave", new { accounts = new[] { "DU1234567" } });
        using var user = await host.SignInAsync("dave");
        await user.InitAsync();
        var accounts = await user.GetAsync("/iserver/accounts");
        await user.SuppressAsync("o10151");
        var placed = await user.PostAsync("/iserver/account/DU1234567/orders", "{\"orders\":[" + IbkrUser.Ticket(Conid, "MKT", "BUY", 1) + "]}");

        Assert.Equal(HttpStatusCode.NoContent, pin.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, questions.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, users.StatusCode);
        Assert.Equal(123.45m, host.Control.PriceOf(Conid));
        Assert.Equal("DU1234567", accounts.Body.GetProperty("accounts")[0].GetString());
        Assert.Equal("o9999", placed.QuestionId);
    }

    [Fact]
    public async Task Should_reset_sessions_tokens_orders_faults_and_logs()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        await user.PlaceConfirmedAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "before-reset"));
        host.Control.SetFaults(new Faults.FaultSettings { LatencyMs = 5 });
        using var control = host.CreateClient();

        using var reset = await control.PostAsync("/__sim/reset", null);
        var afterReset = await user.PostAsync("/iserver/auth/status");

        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        Assert.Empty(host.Control.Ledger());
        Assert.Equal(0, host.Control.Faults.LatencyMs);
        Assert.Equal(HttpStatusCode.Unauthorized, afterReset.Status);
        Assert.Single(host.Control.Requests());
        Assert.Equal(0, host.Control.Stats().SessionsInitialised);
    }

    [Fact]
    public async Task Should_drop_a_session_over_http()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        using var control = host.CreateClient();

        using var drop = await control.PostAsync("/__sim/users/alice/drop-session", null);
        var trading = await user.GetAsync("/iserver/account/orders");

        Assert.Equal(HttpStatusCode.NoContent, drop.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, trading.Status);
    }
}

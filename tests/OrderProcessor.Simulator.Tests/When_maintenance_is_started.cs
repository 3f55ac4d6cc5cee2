using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using OrderProcessor.Simulator.Control;
using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

/// <summary>
/// IBKR's nightly reset and weekend maintenance: <c>PUT /__sim/maintenance</c> ends every brokerage session and socket,
/// the web layer answers <c>connected:false</c>, every other <c>/iserver</c> call is refused without acting, the exchange
/// carries on, and afterwards init opens a new session.
/// </summary>
public sealed class When_maintenance_is_started(ITestOutputHelper output)
{
    private const int Conid = 1618;

    [Fact]
    public async Task Should_answer_connected_false_on_the_web_layer_and_503_on_every_other_iserver_call_acting_on_nothing()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:FirstLiveOrdersCallEmpty"] = "false" });
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        host.Control.PinPrice(Conid, 10m);
        var resting = await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 5m, cOID: "resting"));
        var question = await user.PlaceAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 5m, cOID: "asked")); // o163, waiting for its reply
        var initsBefore = host.Control.Stats().SessionsInitialised;
        var requestsBefore = host.Control.Requests().Count;

        using var http = host.CreateClient();
        using var put = await http.PutAsJsonAsync("/__sim/maintenance", new { seconds = 60 });
        var report = await Answer.ReadAsync(put);
        var tickle = await user.PostAsync("/tickle");
        var status = await user.PostAsync("/iserver/auth/status");
        var init = await user.PostAsync("/iserver/auth/ssodh/init", "{\"publish\":true,\"compete\":true}");
        var accounts = await user.GetAsync("/iserver/accounts");
        var place = await user.PlaceAsync(IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "during"));
        var whatIf = await user.PostAsync($"/iserver/account/{user.AccountId}/orders/whatif", "{\"orders\":[" + IbkrUser.Ticket(Conid, "MKT", "BUY", 1) + "]}");
        var reply = question.IsQuestion ? await user.ReplyAsync(question.ReplyId) : null;
        var cancel = await user.DeleteAsync($"/iserver/account/{user.AccountId}/order/{resting}");
        var live = await user.GetAsync("/iserver/account/orders");
        var orderStatus = await user.GetAsync($"/iserver/account/order/status/{resting}");
        var trades = await user.GetAsync("/iserver/account/trades");
        var suppress = await user.SuppressAsync("o354");
        using var newcomer = await host.SignInAsync("bob"); // PiTrade's bearer tokens stay up

        output.WriteLine($"PUT /__sim/maintenance → {report.Raw}");
        output.WriteLine($"tickle {(int)tickle.Status} {tickle.Raw}");
        output.WriteLine($"status {(int)status.Status} {status.Raw}");
        output.WriteLine($"init {(int)init.Status} {init.Raw}");
        output.WriteLine($"accounts {(int)accounts.Status} {accounts.Raw}; place {(int)place.Status}; what-if {(int)whatIf.Status}; reply {(int?)reply?.Status}; cancel {(int)cancel.Status}; live {(int)live.Status}; status {(int)orderStatus.Status}; trades {(int)trades.Status}; suppress {(int)suppress.Status}");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True(report.Body.GetProperty("active").GetBoolean());
        Assert.Equal("serviceUnavailable", report.Body.GetProperty("answer").GetString());
        Assert.Equal(host.Time.GetUtcNow() + TimeSpan.FromSeconds(60), report.Body.GetProperty("until").GetDateTimeOffset());

        Assert.Equal(HttpStatusCode.OK, tickle.Status);
        var authStatus = tickle.Body.GetProperty("iserver").GetProperty("authStatus");
        Assert.False(authStatus.GetProperty("authenticated").GetBoolean());
        Assert.False(authStatus.GetProperty("connected").GetBoolean());
        Assert.False(authStatus.GetProperty("competing").GetBoolean());
        foreach (var answer in new[] { status, init })
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.False(answer.Body.GetProperty("authenticated").GetBoolean());
            Assert.False(answer.Body.GetProperty("connected").GetBoolean());
            Assert.False(answer.Body.GetProperty("competing").GetBoolean());
        }

        Assert.Equal(initsBefore, host.Control.Stats().SessionsInitialised);
        Assert.NotNull(reply);
        foreach (var refused in new[] { accounts, place, whatIf, reply!, cancel, live, orderStatus, trades, suppress })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
            Assert.Equal("Service Unavailable", refused.Error);
            Assert.Equal(503, refused.Body.GetProperty("statusCode").GetInt32());
        }

        // Nothing was acted on: no new order, the cancel was not registered, the question was not confirmed.
        var ledger = host.Control.Ledger();
        Assert.Equal(["resting"], ledger.Select(e => e.COID));
        host.Control.Tick();
        Assert.Equal("Submitted", host.Control.Ledger()[0].Status);
        Assert.Empty(await OpenApiContract.ErrorsAsync("brokerageSessionStatus", status.Raw));
        Assert.Empty(await OpenApiContract.ErrorsAsync("brokerageSessionStatus", init.Raw));
        Assert.Empty(await OpenApiContract.ErrorsAsync("successfulTickleResponse", tickle.Raw));
        // errorResponse types statusCode as a string; the simulator answers a number, as its other {error, statusCode} answers
        // and as clients quote IBKR's ("statusCode":400 with "no bridge"): only the error text is checked here.
        Assert.Empty(await OpenApiContract.ErrorsAsync("errorOnlyResponse", place.Raw));
        var logged = host.Control.Requests().Skip(requestsBefore).Where(r => r.UserId == "alice").ToList();
        Assert.All(logged, r => Assert.True(r.Maintenance, $"{r.Method} {r.Path} was not marked as answered by the window"));
        Assert.Equal(logged.Count, host.Control.Stats().MaintenanceRefusals);
    }

    [Theory]
    [InlineData("unauthorized", HttpStatusCode.Unauthorized, null)]
    [InlineData("noBridge", HttpStatusCode.BadRequest, "no bridge")]
    public async Task Should_answer_the_other_refusals_when_the_switch_says_so(string answer, HttpStatusCode expected, string? error)
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        using var http = host.CreateClient();
        using var patch = await http.PatchAsJsonAsync("/__sim/behaviour", new { maintenanceAnswer = answer });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        host.Control.StartMaintenance(TimeSpan.FromMinutes(1));
        var accounts = await user.GetAsync("/iserver/accounts");
        var status = await user.PostAsync("/iserver/auth/status");

        output.WriteLine($"{answer}: accounts {(int)accounts.Status} {accounts.Raw}; status {status.Raw}");
        Assert.Equal(expected, accounts.Status);
        if (error is not null)
            Assert.Equal(error, accounts.Error);
        else
            Assert.Equal("Unauthorized", accounts.Body.GetProperty("title").GetString());
        Assert.False(status.Body.GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task Should_close_every_socket_going_away_and_refuse_upgrades_until_the_end()
    {
        using var host = new SimulatorHost();
        using var alice = await host.OpenSessionAsync("alice");
        using var bob = await host.OpenSessionAsync("bob");
        var bobsSession = await bob.SessionIdAsync();
        await using var aliceSocket = await host.ConnectStreamAsync(alice);
        await using var bobSocket = await host.ConnectStreamAsync(bob);
        await aliceSocket.UntilSuccessAsync();
        await bobSocket.UntilSuccessAsync();

        host.Control.StartMaintenance(TimeSpan.FromSeconds(30));
        var aliceEnded = await aliceSocket.EndedWithinAsync();
        var bobEnded = await bobSocket.EndedWithinAsync();
        var upgrade = await Record.ExceptionAsync(() => host.ConnectStreamAsync(bob, cookie: bobsSession));

        output.WriteLine($"sockets ended: alice {aliceEnded} ({aliceSocket.CloseStatus} {aliceSocket.CloseText}), bob {bobEnded} ({bobSocket.CloseStatus}); upgrade during the window: {upgrade?.Message}");
        Assert.True(aliceEnded && bobEnded);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, aliceSocket.CloseStatus);
        Assert.Equal("going away", aliceSocket.CloseText);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, bobSocket.CloseStatus);
        Assert.NotNull(upgrade);
        Assert.Contains(host.Control.Requests(), r => r.Path == "/v1/api/ws" && r.Status == 503 && r.Maintenance);
        Assert.Equal(1, host.Control.Stream().RefusedUpgrades);
    }

    [Fact]
    public async Task Should_keep_the_exchange_filling_and_open_a_new_session_that_lists_only_the_trades_of_the_window()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:FirstLiveOrdersCallEmpty"] = "false" });
        using var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151", "o163");
        host.Control.PinPrice(Conid, 10m);
        var before = await user.SessionIdAsync();
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 9.9m, cOID: "fills-in-window"));
        await user.PlaceOneConfirmedAsync(IbkrUser.Ticket(Conid, "LMT", "BUY", 1, price: 5m, cOID: "still-working"));
        host.Time.Advance(TimeSpan.FromSeconds(1));

        host.Control.StartMaintenance(TimeSpan.FromSeconds(20));
        host.Time.Advance(TimeSpan.FromSeconds(5));
        host.Control.PinPrice(Conid, 9.8m);
        host.Control.Tick(); // the exchange does not stop: the first order fills during the window
        var filledDuring = host.Control.Ledger().Single(e => e.COID == "fills-in-window").Status;
        host.Time.Advance(TimeSpan.FromSeconds(10));
        var stillDown = await user.PostAsync("/iserver/auth/ssodh/init", "{\"publish\":true,\"compete\":true}");
        host.Time.Advance(TimeSpan.FromSeconds(6));
        var report = host.Control.Maintenance;
        var init = await user.InitAsync();
        await user.WarmUpAccountsAsync();
        var after = await user.SessionIdAsync();
        var live = await user.GetAsync("/iserver/account/orders");
        var trades = await user.GetAsync("/iserver/account/trades");

        output.WriteLine($"filled during the window: {filledDuring}; init at +15 s: connected {stillDown.Body.GetProperty("connected")}; at +21 s: {init.Raw}");
        output.WriteLine($"session {before} → {after}; live {live.Raw}; trades {trades.Body.GetArrayLength()}");
        Assert.Equal("Filled", filledDuring);
        Assert.False(stillDown.Body.GetProperty("authenticated").GetBoolean());
        Assert.False(report.Active);
        Assert.True(init.Body.GetProperty("authenticated").GetBoolean());
        Assert.True(init.Body.GetProperty("connected").GetBoolean());
        Assert.NotEqual(before, after);
        var listed = Assert.Single(live.Body.GetProperty("orders").EnumerateArray());
        Assert.Equal("still-working", listed.GetProperty("order_ref").GetString());
        Assert.Equal(["fills-in-window"], trades.Body.EnumerateArray().Select(t => t.GetProperty("order_ref").GetString()));
    }

    [Fact]
    public async Task Should_take_down_only_the_listed_users_when_users_are_given()
    {
        using var host = new SimulatorHost();
        using var alice = await host.OpenSessionAsync("alice");
        using var bob = await host.OpenSessionAsync("bob");
        using var http = host.CreateClient();

        using var put = await http.PutAsJsonAsync("/__sim/maintenance", new { seconds = 60, users = new[] { "alice" } });
        var report = await Answer.ReadAsync(put);
        var aliceAccounts = await alice.GetAsync("/iserver/accounts");
        var aliceStatus = await alice.PostAsync("/iserver/auth/status");
        var bobAccounts = await bob.GetAsync("/iserver/accounts");
        var bobStatus = await bob.PostAsync("/iserver/auth/status");

        output.WriteLine($"{report.Raw}; alice accounts {(int)aliceAccounts.Status}, status {aliceStatus.Body.GetProperty("connected")}; bob accounts {(int)bobAccounts.Status}, status {bobStatus.Body.GetProperty("authenticated")}");
        Assert.Equal(["alice"], report.Body.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, aliceAccounts.Status);
        Assert.False(aliceStatus.Body.GetProperty("connected").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, bobAccounts.Status);
        Assert.True(bobStatus.Body.GetProperty("authenticated").GetBoolean());
    }

    [Fact]
    public async Task Should_be_ended_by_delete_and_by_reset_and_refuse_a_window_without_length()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        using var http = host.CreateClient();

        using var zero = await http.PutAsJsonAsync("/__sim/maintenance", new { seconds = 0 });
        using var put = await http.PutAsJsonAsync("/__sim/maintenance", new { seconds = 3600 });
        var during = await user.PostAsync("/iserver/auth/ssodh/init", "{\"publish\":true,\"compete\":true}");
        using var delete = await http.DeleteAsync("/__sim/maintenance");
        var afterDelete = await user.InitAsync();
        var report = await http.GetFromJsonAsync<JsonElement>("/__sim/maintenance");
        host.Control.StartMaintenance(TimeSpan.FromHours(1));
        host.Control.Reset();
        var afterReset = await (await host.SignInAsync("alice")).InitAsync();

        output.WriteLine($"seconds 0 → {(int)zero.StatusCode}; during {during.Raw}; after DELETE {afterDelete.Raw}; GET {report}; after reset {afterReset.Raw}");
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.False(during.Body.GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.True(afterDelete.Body.GetProperty("authenticated").GetBoolean());
        Assert.False(report.GetProperty("active").GetBoolean());
        Assert.True(afterReset.Body.GetProperty("authenticated").GetBoolean());
        Assert.False(host.Control.Maintenance.Active);
    }
}

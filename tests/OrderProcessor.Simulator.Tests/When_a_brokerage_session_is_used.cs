using System.Net;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_brokerage_session_is_used
{
    private static readonly string MarketTicket = IbkrUser.Ticket(265598, "MKT", "BUY", 1);

    [Fact]
    public async Task Should_refuse_init_without_publish()
    {
        using var host = new SimulatorHost();
        using var user = await host.SignInAsync("alice");

        var answer = await user.PostAsync("/iserver/auth/ssodh/init", "{\"publish\":false,\"compete\":true}");

        Assert.Equal(HttpStatusCode.InternalServerError, answer.Status);
        Assert.NotNull(answer.Error);
    }

    [Fact]
    public async Task Should_answer_401_to_trading_calls_before_init_and_unauthenticated_to_status()
    {
        using var host = new SimulatorHost();
        using var user = await host.SignInAsync("alice");

        var accounts = await user.GetAsync("/iserver/accounts");
        var status = await user.PostAsync("/iserver/auth/status");

        Assert.Equal(HttpStatusCode.Unauthorized, accounts.Status);
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.False(status.Body.GetProperty("authenticated").GetBoolean());
        Assert.True(status.Body.GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task Should_refuse_trading_until_accounts_are_queried_after_every_init()
    {
        using var host = new SimulatorHost();
        using var user = await host.SignInAsync("alice");
        var init = await user.InitAsync();
        Assert.True(init.Body.GetProperty("authenticated").GetBoolean());

        var before = await user.GetAsync("/iserver/account/orders");
        var accounts = await user.GetAsync("/iserver/accounts");
        var after = await user.GetAsync("/iserver/account/orders");
        await user.InitAsync();
        var afterReinit = await user.PlaceAsync(MarketTicket);

        Assert.Equal(HttpStatusCode.InternalServerError, before.Status);
        Assert.Equal("Please query /accounts first", before.Error);
        Assert.Equal(user.AccountId, accounts.Body.GetProperty("accounts")[0].GetString());
        Assert.Equal(user.AccountId, accounts.Body.GetProperty("selectedAccount").GetString());
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, afterReinit.Status);
        Assert.Equal("Please query /accounts first", afterReinit.Error);
    }

    [Fact]
    public async Task Should_idle_out_after_the_configured_timeout()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?>
        {
            ["Simulator:SessionIdleTimeout"] = "00:06:00",
            ["Simulator:BearerTokenLifetime"] = "01:00:00",
        });
        using var user = await host.OpenSessionAsync("alice");

        host.Time.Advance(TimeSpan.FromMinutes(4));
        var tickle = await user.PostAsync("/tickle");
        host.Time.Advance(TimeSpan.FromMinutes(4));
        var stillAlive = await user.PostAsync("/iserver/auth/status");
        host.Time.Advance(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(1));
        var idled = await user.PostAsync("/tickle");
        var trading = await user.GetAsync("/iserver/account/orders");

        Assert.True(tickle.Body.GetProperty("iserver").GetProperty("authStatus").GetProperty("authenticated").GetBoolean());
        Assert.True(stillAlive.Body.GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, idled.Status);
        Assert.False(idled.Body.GetProperty("iserver").GetProperty("authStatus").GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, trading.Status);
    }

    [Fact]
    public async Task Should_answer_tickle_with_ibkr_shape()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var tickle = await user.PostAsync("/tickle");

        Assert.False(string.IsNullOrEmpty(tickle.Body.GetProperty("session").GetString()));
        Assert.Equal(600_000, tickle.Body.GetProperty("ssoExpires").GetInt32());
        Assert.False(tickle.Body.GetProperty("collission").GetBoolean());
        Assert.True(tickle.Body.GetProperty("userId").GetInt32() >= 0);
        Assert.False(tickle.Body.GetProperty("iserver").GetProperty("authStatus").GetProperty("competing").GetBoolean());
    }

    [Fact]
    public async Task Should_drop_the_session_when_the_control_api_says_so()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        host.Control.DropSession("alice");
        var trading = await user.GetAsync("/iserver/accounts");
        var status = await user.PostAsync("/iserver/auth/status");
        await user.InitAsync();
        await user.WarmUpAccountsAsync();
        var recovered = await user.GetAsync("/iserver/account/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, trading.Status);
        Assert.False(status.Body.GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, recovered.Status);
        Assert.Equal(2, host.Control.Stats().SessionsInitialised);
    }

    [Fact]
    public async Task Should_surface_a_competing_session_until_init_with_compete()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        using var competitor = host.CreateClient();
        using var response = await competitor.PostAsync("/__sim/users/alice/compete", null);
        var status = await user.PostAsync("/iserver/auth/status");
        var tickle = await user.PostAsync("/tickle");
        var trading = await user.PlaceAsync(MarketTicket);
        var politeInit = await user.InitAsync(compete: false);
        var stillRefused = await user.GetAsync("/iserver/accounts");
        var competeInit = await user.InitAsync(compete: true);
        await user.WarmUpAccountsAsync();
        var trades = await user.PlaceAsync(MarketTicket);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(status.Body.GetProperty("competing").GetBoolean());
        Assert.False(status.Body.GetProperty("authenticated").GetBoolean());
        Assert.True(tickle.Body.GetProperty("collission").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, trading.Status);
        Assert.True(politeInit.Body.GetProperty("competing").GetBoolean());
        Assert.False(politeInit.Body.GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, stillRefused.Status);
        Assert.True(competeInit.Body.GetProperty("authenticated").GetBoolean());
        Assert.False(competeInit.Body.GetProperty("competing").GetBoolean());
        Assert.True(trades.IsQuestion);
    }

    [Fact]
    public async Task Should_end_the_session_and_the_token_on_logout()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");

        var logout = await user.PostAsync("/logout");
        var after = await user.PostAsync("/iserver/auth/status");

        Assert.True(logout.Body.GetProperty("status").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
    }
}

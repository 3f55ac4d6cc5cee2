using System.Net;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

/// <summary>The brokerage session belongs to the bearer token that opened it: a second processor instance competes for it.</summary>
public sealed class When_a_second_client_opens_a_session
{
    [Fact]
    public async Task Should_take_the_session_over_with_compete_and_leave_the_first_token_without_one()
    {
        using var host = new SimulatorHost();
        using var first = await host.OpenSessionAsync("alice");
        using var second = await host.SignInAsync("alice");

        var takeover = await second.InitAsync(compete: true);
        await second.WarmUpAccountsAsync();
        var firstTrading = await first.GetAsync("/iserver/account/orders");
        var firstStatus = await first.PostAsync("/iserver/auth/status");
        var firstTickle = await first.PostAsync("/tickle");
        var secondTrading = await second.GetAsync("/iserver/account/orders");

        Assert.True(takeover.Body.GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, firstTrading.Status);
        Assert.False(firstStatus.Body.GetProperty("authenticated").GetBoolean());
        Assert.True(firstStatus.Body.GetProperty("competing").GetBoolean());
        Assert.False(firstTickle.Body.GetProperty("iserver").GetProperty("authStatus").GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, secondTrading.Status);
        Assert.Equal(2, host.Control.Stats().SessionsInitialised);
    }

    [Fact]
    public async Task Should_report_competing_and_leave_the_session_to_its_owner_when_the_second_init_does_not_compete()
    {
        using var host = new SimulatorHost();
        using var first = await host.OpenSessionAsync("alice");
        using var second = await host.SignInAsync("alice");

        var polite = await second.InitAsync(compete: false);
        var secondTrading = await second.GetAsync("/iserver/accounts");
        var secondStatus = await second.PostAsync("/iserver/auth/status");
        var firstTrading = await first.GetAsync("/iserver/account/orders");

        Assert.False(polite.Body.GetProperty("authenticated").GetBoolean());
        Assert.True(polite.Body.GetProperty("competing").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, secondTrading.Status);
        Assert.True(secondStatus.Body.GetProperty("competing").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, firstTrading.Status);
        Assert.Equal(1, host.Control.Stats().SessionsInitialised);
    }

    [Fact]
    public async Task Should_let_the_second_init_open_a_session_once_the_first_one_idled_out()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:BearerTokenLifetime"] = "01:00:00" });
        using var first = await host.OpenSessionAsync("alice");
        using var second = await host.SignInAsync("alice");

        host.Time.Advance(TimeSpan.FromMinutes(7));
        var polite = await second.InitAsync(compete: false);

        Assert.True(polite.Body.GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/iserver/accounts")).Status);
    }

    [Fact]
    public async Task Should_let_a_refreshed_token_that_never_initialised_use_the_session_it_finds()
    {
        using var host = new SimulatorHost();
        using var original = await host.OpenSessionAsync("alice");
        using var refreshed = await host.SignInAsync("alice");

        var trading = await refreshed.GetAsync("/iserver/account/orders");

        Assert.Equal(HttpStatusCode.OK, trading.Status);
    }

    [Fact]
    public async Task Should_keep_a_refreshed_token_off_a_session_that_another_token_took_over_since()
    {
        using var host = new SimulatorHost();
        using var original = await host.OpenSessionAsync("alice");
        using var refreshed = await host.SignInAsync("alice");
        using var otherInstance = await host.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.OK, (await refreshed.GetAsync("/iserver/account/orders")).Status);

        await otherInstance.InitAsync(compete: true);
        var afterTakeover = await refreshed.GetAsync("/iserver/account/orders");

        Assert.Equal(HttpStatusCode.Unauthorized, afterTakeover.Status);
    }

    [Fact]
    public async Task Should_give_no_session_to_a_token_that_never_initialised_when_sessions_are_strictly_per_token()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?> { ["Simulator:UninitialisedTokensShareSession"] = "false" });
        using var original = await host.OpenSessionAsync("alice");
        using var refreshed = await host.SignInAsync("alice");

        var trading = await refreshed.GetAsync("/iserver/account/orders");
        var status = await refreshed.PostAsync("/iserver/auth/status");
        var ownInit = await refreshed.InitAsync(compete: true);

        Assert.Equal(HttpStatusCode.Unauthorized, trading.Status);
        Assert.True(status.Body.GetProperty("competing").GetBoolean());
        Assert.True(ownInit.Body.GetProperty("authenticated").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await original.GetAsync("/iserver/accounts")).Status);
    }

    [Fact]
    public async Task Should_log_out_only_the_session_of_the_token_that_logs_out()
    {
        using var host = new SimulatorHost();
        using var first = await host.OpenSessionAsync("alice");
        using var second = await host.SignInAsync("alice");
        await second.InitAsync(compete: false);

        var logout = await second.PostAsync("/logout");
        var firstTrading = await first.GetAsync("/iserver/account/orders");

        Assert.True(logout.Body.GetProperty("status").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, firstTrading.Status);
    }
}

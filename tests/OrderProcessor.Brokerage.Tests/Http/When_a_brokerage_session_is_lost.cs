using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Ibkr.Session;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_a_brokerage_session_is_lost
{
    private const string Init = "/iserver/auth/ssodh/init";

    [Fact]
    public async Task Should_reinitialise_once_after_idling_out_and_succeed()
    {
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["SessionIdleTimeout"] = "00:00:00.800" });
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "idle-user";
        await guard.Gateway.GetAccountsAsync(user);

        await Task.Delay(1200);
        var accounts = await guard.Gateway.GetAccountsAsync(user);

        Assert.NotEmpty(accounts);
        Assert.Equal(2, simulator.CountOf(user, "POST", Init));
        Assert.Equal(1, simulator.IbkrRequestsOf(user).Count(r => r.Status == 401));
        Assert.Equal(2, guard.Sessions.GetSession(user)!.Initialisations);
    }

    [Fact]
    public async Task Should_reinitialise_once_for_a_burst_after_the_simulator_drops_it()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "dropped-user";
        await guard.Gateway.GetAccountsAsync(user);

        simulator.Control.DropSession(user);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => guard.Gateway.GetAccountsAsync(user))));

        Assert.All(results, accounts => Assert.NotEmpty(accounts));
        Assert.Equal(2, simulator.CountOf(user, "POST", Init));
        Assert.Equal(BrokerageSessionState.Ready, guard.Sessions.GetSession(user)!.State);
    }

    [Fact]
    public async Task Should_redo_question_suppression_and_accounts_warm_up_after_every_init()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "warmup-user";
        await guard.Gateway.GetLiveOrdersAsync(user);
        simulator.Control.DropSession(user);
        await guard.Gateway.WhatIfAsync(user, (await guard.Gateway.GetAccountsAsync(user))[0], [Tickets.Market()]);

        var sequence = simulator.IbkrRequestsOf(user)
            .Where(r => r.Status == 200)
            .Select(r => r.Path.Replace("/v1/api", string.Empty, StringComparison.Ordinal))
            .Where(p => p is Init or "/iserver/questions/suppress" or "/iserver/accounts")
            .ToList();
        Assert.Equal(
            [Init, "/iserver/questions/suppress", "/iserver/accounts", Init, "/iserver/questions/suppress", "/iserver/accounts", "/iserver/accounts"],
            sequence);
    }

    [Fact]
    public async Task Should_resend_once_after_the_accounts_warm_up_is_redone()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "accounts-first-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];

        // A new session opened behind the guard's back (e.g. by another instance) has no accounts warm-up yet.
        var sessionApi = guard.Services.GetRequiredService<ISessionApi>();
        using (await sessionApi.InitialiseAsync(user, new BrokerageSessionInitRequest(true, true), CancellationToken.None))
        {
        }

        var result = await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);

        Assert.Equal(Gateway.PlaceOrderOutcome.Accepted, result.Outcome);
        Assert.Single(simulator.Control.Ledger(), l => l.UserId == user);
        var placements = simulator.IbkrRequestsOf(user).Where(r => r.Method == "POST" && r.Path.EndsWith("/orders", StringComparison.Ordinal)).ToList();
        Assert.Equal([500, 200], placements.Select(p => p.Status));
    }
}

using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_a_user_keeps_trading
{
    [Fact]
    public async Task Should_keep_the_session_alive_with_tickles_while_the_user_is_active()
    {
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["SessionIdleTimeout"] = "00:00:01", ["TickleMinInterval"] = "00:00:00.100" });
        await using var guard = await GuardHost.StartAsync(simulator, s =>
        {
            s["Brokerage:Session:TickleEnabled"] = "true";
            s["Brokerage:Session:TickleInterval"] = "00:00:00.300";
            s["Brokerage:Session:TickleScanInterval"] = "00:00:00.050";
            s["Brokerage:Pacing:TickleInterval"] = "00:00:00.100";
        });
        const string user = "active-user";
        await guard.Gateway.GetAccountsAsync(user);

        // Silent for twice the idle timeout: only the tickles keep the session.
        await Task.Delay(2200);
        await guard.Gateway.GetLiveOrdersAsync(user);

        Assert.True(simulator.CountOf(user, "POST", "/tickle") >= 4);
        Assert.Equal(1, simulator.CountOf(user, "POST", "/iserver/auth/ssodh/init"));
        Assert.DoesNotContain(simulator.IbkrRequestsOf(user), r => r.Status == 401);
    }

    [Fact]
    public async Task Should_stop_tickling_once_the_user_is_idle()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s =>
        {
            s["Brokerage:Session:TickleEnabled"] = "true";
            s["Brokerage:Session:TickleInterval"] = "00:00:00.200";
            s["Brokerage:Session:TickleScanInterval"] = "00:00:00.050";
            s["Brokerage:Session:IdleAfter"] = "00:00:00.500";
        });
        const string user = "idle-trader";
        await guard.Gateway.GetAccountsAsync(user);

        await Task.Delay(1500);
        var tickles = simulator.CountOf(user, "POST", "/tickle");
        await Task.Delay(600);

        Assert.InRange(tickles, 1, 3);
        Assert.Equal(tickles, simulator.CountOf(user, "POST", "/tickle"));
    }

    [Fact]
    public async Task Should_tickle_again_sooner_after_a_failed_tickle()
    {
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["TickleMinInterval"] = "00:00:00" });
        await using var guard = await GuardHost.StartAsync(simulator, s =>
        {
            s["Brokerage:Session:TickleEnabled"] = "true";
            s["Brokerage:Session:TickleInterval"] = "00:00:00.800";
            s["Brokerage:Session:TickleRetryInterval"] = "00:00:00.100";
            s["Brokerage:Session:TickleScanInterval"] = "00:00:00.020";
            s["Brokerage:Pacing:TickleInterval"] = "00:00:00.020";
            s["Brokerage:Resilience:MaxRetryAttempts"] = "0";
        });
        const string user = "failing-tickle-user";
        await guard.Gateway.GetAccountsAsync(user);
        simulator.Control.SetFaults(new Simulator.Faults.FaultSettings { ServerErrorRate = 1.0, PathContains = "/tickle", UserId = user });

        await Task.Delay(1500);

        // One tickle would be due after 0.8 s; failures bring the next ones every 0.1 s instead.
        Assert.True(simulator.CountOf(user, "POST", "/tickle") >= 4, $"{simulator.CountOf(user, "POST", "/tickle")} tickles");
        Assert.Equal(1, simulator.CountOf(user, "POST", "/iserver/auth/ssodh/init"));
    }
}

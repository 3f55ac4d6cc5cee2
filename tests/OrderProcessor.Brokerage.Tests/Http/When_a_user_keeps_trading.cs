using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_a_user_keeps_trading
{
    [Fact]
    public async Task Should_keep_the_session_alive_with_tickles_while_the_user_is_active()
    {
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["SessionIdleTimeout"] = "00:00:02", ["TickleMinInterval"] = "00:00:00.100" });
        await using var guard = await GuardHost.StartAsync(simulator, s =>
        {
            s["Brokerage:Session:TickleEnabled"] = "true";
            s["Brokerage:Session:TickleInterval"] = "00:00:00.300";
            s["Brokerage:Session:TickleScanInterval"] = "00:00:00.050";
            s["Brokerage:Pacing:TickleInterval"] = "00:00:00.100";
        });
        const string user = "active-user";
        await guard.Gateway.GetAccountsAsync(user);

        // Silent for more than twice the idle timeout: only the tickles keep the session.
        await Task.Delay(4500);
        await guard.Gateway.GetAccountsAsync(user);

        Assert.True(simulator.CountOf(user, "POST", "/tickle") >= 5);
        Assert.Equal(1, simulator.CountOf(user, "POST", "/iserver/auth/ssodh/init"));
        Assert.DoesNotContain(simulator.IbkrRequestsOf(user), r => r.Status == 401);
    }

    [Fact]
    public async Task Should_stop_tickling_once_the_user_is_idle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["TickleMinInterval"] = "00:00:00" });
        await using var guard = await GuardHost.StartAsync(
            simulator,
            s =>
            {
                s["Brokerage:Session:TickleEnabled"] = "true";
                s["Brokerage:Session:IdleAfter"] = "00:03:00";
            },
            services => services.AddSingleton<TimeProvider>(time));
        const string user = "idle-trader";
        await guard.Gateway.GetAccountsAsync(user);

        // Tickles every 60 s while the last call is less than 3 min ago: at 60 and 120 s, none after.
        await AdvanceAsync(time, TimeSpan.FromSeconds(150), () => simulator.CountOf(user, "POST", "/tickle") >= 2);
        await AdvanceAsync(time, TimeSpan.FromSeconds(300), () => false);

        Assert.Equal(2, simulator.CountOf(user, "POST", "/tickle"));
    }

    [Fact]
    public async Task Should_tickle_again_sooner_after_a_failed_tickle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["TickleMinInterval"] = "00:00:00" });
        await using var guard = await GuardHost.StartAsync(
            simulator,
            s =>
            {
                s["Brokerage:Session:TickleEnabled"] = "true";
                s["Brokerage:Resilience:MaxRetryAttempts"] = "0";
                s["Brokerage:Resilience:BreakerMinimumThroughput"] = "1000";
            },
            services => services.AddSingleton<TimeProvider>(time));
        const string user = "failing-tickle-user";
        simulator.Control.SetFaults(new FaultSettings { ServerErrorRate = 1.0, PathContains = "/tickle", UserId = user });
        await guard.Gateway.GetAccountsAsync(user);

        // The first tickle is due after 60 s; after it fails, the next ones come every 5 s instead of every 60 s.
        await AdvanceAsync(time, TimeSpan.FromSeconds(70), () => simulator.CountOf(user, "POST", "/tickle") >= 1);
        await AdvanceAsync(time, TimeSpan.FromSeconds(20), () => simulator.CountOf(user, "POST", "/tickle") >= 3);

        Assert.InRange(simulator.CountOf(user, "POST", "/tickle"), 3, 6);
        Assert.Equal(1, simulator.CountOf(user, "POST", "/iserver/auth/ssodh/init"));
    }

    /// <summary>Moves the guard's clock in 1 s steps, giving its loops real time to react, until done or the span is used up.</summary>
    private static async Task AdvanceAsync(FakeTimeProvider time, TimeSpan span, Func<bool> done)
    {
        for (var moved = TimeSpan.Zero; moved < span && !done(); moved += TimeSpan.FromSeconds(1))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(3);
        while (!done() && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }
}

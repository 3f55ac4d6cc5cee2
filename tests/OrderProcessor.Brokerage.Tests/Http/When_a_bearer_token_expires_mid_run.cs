using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_a_bearer_token_expires_mid_run(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_take_the_token_after_a_pacing_wait_longer_than_its_life()
    {
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["BearerTokenLifetime"] = "00:00:03" });
        await using var guard = await GuardHost.StartAsync(simulator, settings => settings["Brokerage:PiTrade:TokenRefreshAhead"] = "00:00:00.500");
        const string user = "paced-token-user";
        await guard.Gateway.GetLiveOrdersAsync(user);

        // The next live-orders read waits about 5 s for its pacing slot: longer than the token it started with lives.
        var started = DateTimeOffset.UtcNow;
        await guard.Gateway.GetLiveOrdersAsync(user);
        var waited = DateTimeOffset.UtcNow - started;

        var refused = simulator.IbkrRequestsOf(user).Count(r => r.Status == 401);
        output.WriteLine($"second read took {waited.TotalSeconds:0.0} s (token life 3 s); 401s: {refused}; tokens: {simulator.TokenRequestsOf(user)}; inits: {guard.Sessions.GetSession(user)!.Initialisations}");
        Assert.True(waited > TimeSpan.FromSeconds(3), "the read must have waited longer than the token lives");
        Assert.Equal(0, refused);
        Assert.Equal(1, guard.Sessions.GetSession(user)!.Initialisations);
    }

    [Fact]
    public async Task Should_refresh_it_ahead_of_expiry_without_a_failed_call()
    {
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["BearerTokenLifetime"] = "00:00:02" });
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "expiring-user";

        // Past at least one expiry and with calls spread over it, however slow a busy machine makes each call.
        var until = DateTimeOffset.UtcNow.AddSeconds(3.5);
        var calls = 0;
        while (DateTimeOffset.UtcNow < until || calls <= 10)
        {
            Assert.NotEmpty(await guard.Gateway.GetAccountsAsync(user));
            calls++;
            await Task.Delay(150);
        }

        Assert.True(simulator.TokenRequestsOf(user) >= 2, "the token should have been replaced during the run");
        Assert.DoesNotContain(simulator.IbkrRequestsOf(user), r => r.Status == 401);
    }
}

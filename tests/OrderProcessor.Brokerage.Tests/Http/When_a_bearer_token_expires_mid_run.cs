using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_a_bearer_token_expires_mid_run
{
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

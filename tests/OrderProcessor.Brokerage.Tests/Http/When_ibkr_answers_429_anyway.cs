using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_ibkr_answers_429_anyway
{
    [Fact]
    public async Task Should_back_off_count_it_and_report_paced()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s =>
        {
            s["Brokerage:Pacing:BackoffAfterTooManyRequests"] = "00:00:00.100";
            s["Brokerage:Resilience:MaxRetryAttempts"] = "2";
        });
        const string user = "paced-user";
        await guard.Gateway.GetAccountsAsync(user);
        simulator.Control.SetFaults(new FaultSettings { TooManyRequestsRate = 1.0, PathContains = "/iserver/accounts", UserId = user });

        var started = DateTimeOffset.UtcNow;
        var failure = await Assert.ThrowsAsync<BrokerageException>(() => guard.Gateway.GetAccountsAsync(user));

        Assert.Equal(BrokerageFailureKind.Paced, failure.Kind);
        Assert.Equal(3, guard.Services.GetRequiredService<PacingGate>().TooManyRequestsSeen);
        var attempts = simulator.IbkrRequestsOf(user).Where(r => r.Status == 429).Select(r => r.At).Order().ToList();
        Assert.Equal(3, attempts.Count);
        Assert.True(attempts[2] - attempts[1] >= TimeSpan.FromMilliseconds(180), "the second back-off doubles the first");
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromMilliseconds(280));
    }
}

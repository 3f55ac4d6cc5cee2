using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_ibkr_answers_429_anyway(ITestOutputHelper output)
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
        var meters = guard.Services.GetRequiredService<IMeterFactory>();
        using var requests = new MetricCollector<double>(meters, BrokerageMetrics.MeterName, "brokerage.ibkr.request.duration");
        using var waits = new MetricCollector<double>(meters, BrokerageMetrics.MeterName, "brokerage.pacing.wait");
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

        // Each request to IBKR is timed with its endpoint and status, each pacing slot with how long it was waited for.
        var timed = requests.GetMeasurementSnapshot();
        var waited = waits.GetMeasurementSnapshot().Where(m => Equals(m.Tags["endpoint"], "accounts")).Select(m => m.Value).ToList();
        output.WriteLine($"requests: {string.Join(", ", timed.Select(m => $"{m.Tags["endpoint"]} {m.Tags["status"]} {m.Value * 1000:F1} ms"))}");
        output.WriteLine($"pacing waits of accounts: {string.Join(", ", waited.Select(w => $"{w * 1000:F1} ms"))}");
        Assert.Equal(3, timed.Count(m => Equals(m.Tags["endpoint"], "accounts") && Equals(m.Tags["status"], "429")));
        Assert.All(timed, m => Assert.InRange(m.Value, 0, 30));
        Assert.True(waited.Count >= 4, "every attempt that was sent waited for its pacing slot, if only for no time");
        Assert.Contains(waited, w => w >= 0.09); // an attempt after a 429 waited out at least the user's 100 ms back-off
    }
}

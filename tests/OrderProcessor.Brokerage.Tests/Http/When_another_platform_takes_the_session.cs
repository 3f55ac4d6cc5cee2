using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_another_platform_takes_the_session
{
    [Fact]
    public async Task Should_report_a_competing_session_when_not_configured_to_compete()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => s["Brokerage:Ibkr:Compete"] = "false");
        const string user = "phone-user";
        using var failures = new MetricCollector<long>(guard.Services.GetRequiredService<IMeterFactory>(), BrokerageMetrics.MeterName, "brokerage.failures");
        using var sessions = new MetricCollector<int>(guard.Services.GetRequiredService<IMeterFactory>(), BrokerageMetrics.MeterName, "brokerage.sessions");
        await guard.Gateway.GetAccountsAsync(user);

        simulator.Control.Compete(user);
        var failure = await Assert.ThrowsAsync<BrokerageException>(() => guard.Gateway.GetLiveOrdersAsync(user));
        var health = await new BrokerageHealthCheck(guard.Sessions).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(BrokerageFailureKind.CompetingSession, failure.Kind);
        Assert.Equal(BrokerageSessionState.Competing, guard.Sessions.GetSession(user)!.State);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        // The readiness report is unauthenticated: counts only, no user id.
        Assert.Equal(1, health.Data["competing"]);
        Assert.DoesNotContain(user, health.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(health.Data.Values, v => v?.ToString()?.Contains(user, StringComparison.Ordinal) == true);
        Assert.Contains(failures.GetMeasurementSnapshot(), m => Equals(m.Tags["kind"], nameof(BrokerageFailureKind.CompetingSession)));
        guard.AssertNoSecretIn(failure.ToString(), "the competing-session exception");

        // The gauge an alert reads: one competing session, no user id among its tags, every state reported.
        sessions.RecordObservableInstruments();
        var byState = sessions.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["state"]!, m => m.Value);
        Assert.Equal(1, byState[nameof(BrokerageSessionState.Competing)]);
        Assert.Equal(0, byState[nameof(BrokerageSessionState.Ready)]);
        Assert.Equal(Enum.GetNames<BrokerageSessionState>().Order(), byState.Keys.Order());
        Assert.DoesNotContain(sessions.GetMeasurementSnapshot(), m => m.Tags.Any(t => Equals(t.Value, user)));
    }

    [Fact]
    public async Task Should_take_the_session_back_when_configured_to_compete()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => s["Brokerage:Ibkr:Compete"] = "true");
        const string user = "competing-user";
        await guard.Gateway.GetAccountsAsync(user);

        simulator.Control.Compete(user);
        var accounts = await guard.Gateway.GetAccountsAsync(user);

        Assert.NotEmpty(accounts);
        Assert.Equal(BrokerageSessionState.Ready, guard.Sessions.GetSession(user)!.State);
        Assert.Equal(HealthStatus.Healthy, (await new BrokerageHealthCheck(guard.Sessions).CheckHealthAsync(new HealthCheckContext())).Status);
    }
}

using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_ibkr_keeps_failing
{
    [Fact]
    public async Task Should_open_the_circuit_and_fail_fast_without_sending()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s =>
        {
            s["Brokerage:Resilience:MaxRetryAttempts"] = "0";
            s["Brokerage:Resilience:BreakerMinimumThroughput"] = "4";
            s["Brokerage:Resilience:BreakerFailureRatio"] = "0.5";
            s["Brokerage:Resilience:BreakerBreakDuration"] = "00:00:30";
        });
        const string user = "failing-user";
        await guard.Gateway.GetAccountsAsync(user);
        simulator.Control.SetFaults(new FaultSettings { ServerErrorRate = 1.0, PathContains = "/iserver/accounts", UserId = user });

        var failures = new List<BrokerageException>();
        for (var i = 0; i < 8; i++)
        {
            failures.Add(await Assert.ThrowsAsync<BrokerageException>(() => guard.Gateway.GetAccountsAsync(user)));
        }

        var sent = simulator.IbkrRequestsOf(user).Count;
        var fast = await Assert.ThrowsAsync<BrokerageException>(() => guard.Gateway.GetAccountsAsync(user));

        Assert.All(failures, f => Assert.Equal(BrokerageFailureKind.TransientBeforeSend, f.Kind));
        Assert.Equal(BrokerageFailureKind.TransientBeforeSend, fast.Kind);
        Assert.IsType<Polly.CircuitBreaker.BrokenCircuitException>(fast.InnerException, exactMatch: false);
        Assert.Equal(sent, simulator.IbkrRequestsOf(user).Count);
    }
}

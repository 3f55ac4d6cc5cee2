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
        await guard.Gateway.GetAccountsAsync(user);

        simulator.Control.Compete(user);
        var failure = await Assert.ThrowsAsync<BrokerageException>(() => guard.Gateway.GetLiveOrdersAsync(user));

        Assert.Equal(BrokerageFailureKind.CompetingSession, failure.Kind);
        Assert.Equal(BrokerageSessionState.Competing, guard.Sessions.GetSession(user)!.State);
        guard.AssertNoSecretIn(failure.ToString(), "the competing-session exception");
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
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.PiTrade;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_100_callers_of_one_user_need_a_bearer_token
{
    [Fact]
    public async Task Should_request_one_token_from_pitrade()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        var tokens = guard.Services.GetRequiredService<BearerTokenCache>();
        using var requested = new MetricCollector<long>(guard.Services.GetRequiredService<IMeterFactory>(), BrokerageMetrics.MeterName, "brokerage.tokens.requested");

        var all = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => tokens.GetAsync("burst-user", CancellationToken.None))));

        Assert.Equal(1, simulator.TokenRequestsOf("burst-user"));
        Assert.Single(all.Select(t => t.Value).Distinct());
        Assert.Equal(1, requested.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task Should_share_the_token_across_concurrent_trading_calls()
    {
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["PerUserRequestsPerSecond"] = "1000", ["PerIpRequestsPerSecond"] = "1000" });
        await using var guard = await GuardHost.StartAsync(simulator, s =>
        {
            s["Brokerage:Pacing:PerUserPerSecond"] = "1000";
            s["Brokerage:Pacing:PerEgressIpPerSecond"] = "1000";
        });

        // 100 calls arrive at once on a cold guard: one token, one session.
        var accounts = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => guard.Gateway.GetAccountsAsync("cold-user"))));

        Assert.All(accounts, a => Assert.NotEmpty(a));
        Assert.Equal(1, simulator.TokenRequestsOf("cold-user"));
        Assert.Equal(1, simulator.CountOf("cold-user", "POST", "/iserver/auth/ssodh/init"));
    }

    [Fact]
    public async Task Should_ask_for_and_use_a_token_bound_to_the_configured_egress_ip()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => s["Brokerage:PiTrade:EgressIp"] = "127.0.0.1");

        Assert.NotEmpty(await guard.Gateway.GetAccountsAsync("egress-user"));

        var tokenRequest = Assert.Single(guard.Requests, r => r.Path == "/brokerage-bearer-token");
        Assert.Contains("\"ip\":\"127.0.0.1\"", tokenRequest.Body, StringComparison.Ordinal);
    }
}

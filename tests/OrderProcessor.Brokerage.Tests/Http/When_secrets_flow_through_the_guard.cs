using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Tests.Infrastructure;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>Every GuardHost checks its own captured logs on dispose; these tests make sure that check has teeth.</summary>
public sealed class When_secrets_flow_through_the_guard
{
    [Fact]
    public async Task Should_log_http_traffic_without_any_header_value()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "secret-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);

        var records = guard.Logs.GetSnapshot();
        Assert.Contains(records, r => r.Message.StartsWith("HTTP POST /brokerage-bearer-token answered 200", StringComparison.Ordinal));
        Assert.Contains(records, r => r.Message.StartsWith("HTTP POST /v1/api/iserver/account/", StringComparison.Ordinal));
        Assert.True(guard.Secrets().Count >= 3, "apiKey, partner JWT and bearer token were all in use");
        var partnerJwts = guard.Requests.Where(r => r.Path == "/brokerage-bearer-token").Select(r => r.BearerValue).ToHashSet();
        Assert.All(guard.Requests.Where(r => r.Path.StartsWith("/v1/api", StringComparison.Ordinal)), r => Assert.DoesNotContain(r.BearerValue, partnerJwts));
        guard.AssertNoSecretsLogged();
    }

    [Fact]
    public async Task Should_fail_loudly_without_secrets_when_pitrade_refuses_the_credentials()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => s["Brokerage:PiTrade:ApiKey"] = "wrong-partner-api-key-but-long-enough-0123456789");

        var failure = await Assert.ThrowsAsync<BrokerageException>(() => guard.Gateway.GetAccountsAsync("any-user"));

        // Refused partner credentials stop everyone's submissions (never an order's outcome) until they are fixed.
        Assert.Equal(BrokerageFailureKind.PartnerStopped, failure.Kind);
        Assert.Contains("Brokerage__PiTrade__ApiKey", failure.Message, StringComparison.Ordinal);
        Assert.Contains(guard.Logs.GetSnapshot(), r => r.Level == LogLevel.Critical);
        guard.AssertNoSecretIn(failure.ToString(), "the configuration exception");
    }

    [Fact]
    public async Task Should_notice_a_secret_that_does_get_logged()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        await guard.Gateway.GetAccountsAsync("leaky-user");
        var bearer = guard.Requests.First(r => r.Path.StartsWith("/v1/api", StringComparison.Ordinal)).BearerValue;
        var logger = guard.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Careless");

        logger.LogInformation("Using token {Token}", bearer);

        Assert.ThrowsAny<Xunit.Sdk.XunitException>(guard.AssertNoSecretsLogged);
        guard.Logs.Clear();
    }
}

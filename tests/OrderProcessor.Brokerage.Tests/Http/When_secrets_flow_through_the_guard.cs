using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Streaming;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>Every GuardHost checks its own captured logs on dispose; these tests make sure that check has teeth.</summary>
public sealed class When_secrets_flow_through_the_guard(ITestOutputHelper output)
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

    [Fact]
    public async Task Should_keep_the_token_and_the_session_cookie_out_of_logs_and_health_once_a_socket_opened()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator);
        const string user = "secret-streamer";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, TimeSpan.FromSeconds(10)));
        var account = (await guard.Host.Gateway.GetAccountsAsync(user))[0];
        await guard.Host.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);

        // The failure paths log too: a drop, garbage, a refused upgrade (401 retires the token), then back.
        simulator.Control.SendStreamGarbage(user, StreamGarbageKind.NotJson, 1);
        guard.Connector.RefuseWith = 401;
        simulator.Control.DropStream(user);
        await RecordingStreamObserver.WaitFor(() => guard.Connector.Connects >= 3, TimeSpan.FromSeconds(10));
        guard.Connector.RefuseWith = null;
        Assert.NotNull(await RecordingStreamObserver.WaitFor(() => guard.Observer.GapsOf(StreamGapCause.Subscribed) >= 2, TimeSpan.FromSeconds(10)));
        var cookie = await guard.Sessions.TickleForStreamAsync(user, CancellationToken.None);
        // Health is read once the socket streams: on a loaded machine it can drop again after the second subscription (a
        // heartbeat missed by a 1 s stall; CI saw "1 reconnecting"), and what is checked here is a streaming user's entry.
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, TimeSpan.FromSeconds(10)));
        var health = await new OrderStreamHealthCheck(guard.Host.Services).CheckHealthAsync(new HealthCheckContext());

        var records = guard.Host.Logs.GetSnapshot();
        var streamRecords = records.Where(r => r.Category?.Contains("UserOrderStream", StringComparison.Ordinal) == true).ToArray();
        var tokens = guard.Host.Secrets();
        output.WriteLine($"{records.Count} log records ({streamRecords.Length} from the stream), {tokens.Count} secrets checked plus the {cookie?.Length}-char session cookie; health: {health.Status} \"{health.Description}\"");
        Assert.False(string.IsNullOrEmpty(cookie));
        Assert.Contains(streamRecords, r => r.Message.Contains("subscribed to sor and str", StringComparison.Ordinal));
        Assert.Contains(streamRecords, r => r.Message.Contains("answered 401", StringComparison.Ordinal));
        foreach (var record in records)
        {
            var text = record.Message + record.Exception + string.Join(";", (record.StructuredState ?? []).Select(p => p.Value));
            Assert.DoesNotContain(cookie!, text, StringComparison.Ordinal);
            Assert.DoesNotContain("bearer_token", text, StringComparison.Ordinal);
            Assert.DoesNotContain("ws://", text, StringComparison.Ordinal);
        }

        guard.Host.AssertNoSecretsLogged();
        Assert.DoesNotContain(user, health.Description ?? string.Empty, StringComparison.Ordinal);
        Assert.All(health.Data, pair => Assert.DoesNotContain(user, pair.Key + pair.Value, StringComparison.Ordinal));
        Assert.Equal(1, health.Data["Streaming"]);
    }
}

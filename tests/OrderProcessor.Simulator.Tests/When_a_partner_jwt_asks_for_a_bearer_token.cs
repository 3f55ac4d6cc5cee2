using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_partner_jwt_asks_for_a_bearer_token
{
    [Fact]
    public async Task Should_issue_a_token_bound_to_the_user_and_the_caller_ip()
    {
        using var host = new SimulatorHost();
        using var response = await host.RequestBearerTokenAsync(host.PartnerJwt(), "alice");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(body.GetProperty("accessToken").GetString()));
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(600, body.GetProperty("expiresIn").GetInt32());
        Assert.Equal("127.0.0.1", body.GetProperty("ip").GetString());
    }

    [Fact]
    public async Task Should_refuse_an_expired_jwt()
    {
        using var host = new SimulatorHost();
        var jwt = host.PartnerJwt(lifetime: TimeSpan.FromMinutes(15), issuedAt: host.Time.GetUtcNow() - TimeSpan.FromMinutes(16));

        using var response = await host.RequestBearerTokenAsync(jwt, "alice");

        await AssertRefusedAsync(response, "expired");
    }

    [Fact]
    public async Task Should_refuse_a_jwt_signed_with_another_key()
    {
        using var host = new SimulatorHost();
        var jwt = host.PartnerJwt(apiKey: "another-partner-api-key-that-is-long-enough-0123");

        using var response = await host.RequestBearerTokenAsync(jwt, "alice");

        await AssertRefusedAsync(response, "signature");
    }

    [Fact]
    public async Task Should_refuse_a_jwt_of_another_client()
    {
        using var host = new SimulatorHost();
        using var response = await host.RequestBearerTokenAsync(host.PartnerJwt(clientId: "someone-else"), "alice");

        await AssertRefusedAsync(response, "clientId");
    }

    [Fact]
    public async Task Should_refuse_a_jwt_living_longer_than_15_minutes()
    {
        using var host = new SimulatorHost();
        using var response = await host.RequestBearerTokenAsync(host.PartnerJwt(lifetime: TimeSpan.FromMinutes(16)), "alice");

        await AssertRefusedAsync(response, "15 minutes");
    }

    [Fact]
    public async Task Should_refuse_a_missing_or_malformed_jwt()
    {
        using var host = new SimulatorHost();
        using var response = await host.RequestBearerTokenAsync("not-a-jwt", "alice");

        await AssertRefusedAsync(response, "malformed");
    }

    [Fact]
    public async Task Should_log_the_request_with_the_user_of_its_body()
    {
        using var host = new SimulatorHost();
        using var _ = await host.RequestBearerTokenAsync(host.PartnerJwt(), "alice");

        var entry = Assert.Single(host.Control.Requests());
        Assert.Equal("/brokerage-bearer-token", entry.Path);
        Assert.Equal("alice", entry.UserId);
        Assert.Equal(200, entry.Status);
        Assert.Equal(1, host.Control.Stats().BearerTokensIssued);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string reason)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(reason, body.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
    }
}

using System.Net;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_bearer_token_is_used
{
    [Fact]
    public async Task Should_be_refused_from_another_ip_than_the_one_it_is_bound_to()
    {
        using var host = new SimulatorHost();
        using var user = await host.SignInAsync("alice", ip: "10.20.30.40");

        var fromBoundIp = await user.PostAsync("/iserver/auth/status");
        user.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
        var fromElsewhere = await user.PostAsync("/iserver/auth/status");

        Assert.Equal(HttpStatusCode.OK, fromBoundIp.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, fromElsewhere.Status);
        Assert.Equal(401, fromElsewhere.Body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Should_be_refused_once_expired()
    {
        using var host = new SimulatorHost();
        using var user = await host.SignInAsync("alice");

        host.Time.Advance(TimeSpan.FromMinutes(10));
        var answer = await user.PostAsync("/iserver/auth/status");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal("Access token expired", answer.Body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Should_be_refused_when_missing()
    {
        using var host = new SimulatorHost();
        using var http = host.CreateClient();

        using var response = await http.PostAsync("/v1/api/tickle", null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

using System.Net;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_requests_exceed_the_pace
{
    private static SimulatorHost PacedHost() => new(new Dictionary<string, string?>
    {
        ["Simulator:PerUserRequestsPerSecond"] = "10",
        ["Simulator:LiveOrdersMinInterval"] = "00:00:05",
        ["Simulator:TickleMinInterval"] = "00:00:01",
    });

    [Fact]
    public async Task Should_answer_429_beyond_the_per_user_rate_and_count_it()
    {
        using var host = PacedHost();
        using var alice = await host.SignInAsync("alice");
        using var bob = await host.SignInAsync("bob");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 11; i++)
            statuses.Add((await alice.PostAsync("/iserver/auth/status")).Status);
        var otherUser = await bob.PostAsync("/iserver/auth/status");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var refilled = await alice.PostAsync("/iserver/auth/status");

        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.OK, otherUser.Status);
        Assert.Equal(HttpStatusCode.OK, refilled.Status);
        Assert.Equal(1, host.Control.Stats().TooManyRequests);
        Assert.Equal(1, host.Control.Stats().ByEndpoint["POST /v1/api/iserver/auth/status"]["429"]);
    }

    [Fact]
    public async Task Should_let_one_live_orders_call_through_per_interval()
    {
        using var host = PacedHost();
        using var user = await host.OpenSessionAsync("alice");

        var first = await user.GetAsync("/iserver/account/orders");
        host.Time.Advance(TimeSpan.FromSeconds(4));
        var tooSoon = await user.GetAsync("/iserver/account/orders");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var again = await user.GetAsync("/iserver/account/orders");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.Status);
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    [Fact]
    public async Task Should_let_one_tickle_through_per_second()
    {
        using var host = PacedHost();
        using var user = await host.OpenSessionAsync("alice");

        var first = await user.PostAsync("/tickle");
        var second = await user.PostAsync("/tickle");
        host.Time.Advance(TimeSpan.FromSeconds(1));
        var third = await user.PostAsync("/tickle");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
    }
}

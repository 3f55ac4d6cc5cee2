using System.Net;
using OrderProcessor.Simulator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_one_ip_sends_too_much(ITestOutputHelper output)
{
    [Fact]
    public async Task Should_refuse_beyond_the_ip_limit_whoever_calls_then_box_the_ip()
    {
        using var host = new SimulatorHost(new Dictionary<string, string?>
        {
            ["Simulator:PerIpRequestsPerSecond"] = "5",
            ["Simulator:PenaltyBoxAfter429s"] = "3",
            ["Simulator:PenaltyBoxDuration"] = "00:01:00",
        });
        using var alice = await host.SignInAsync("alice");
        using var bob = await host.SignInAsync("bob");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await alice.PostAsync("/iserver/auth/status")).Status);
        for (var i = 0; i < 3; i++)
            statuses.Add((await bob.PostAsync("/iserver/auth/status")).Status);
        host.Time.Advance(TimeSpan.FromSeconds(2));
        var boxed = await bob.PostAsync("/iserver/auth/status");
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var released = await alice.PostAsync("/iserver/auth/status");
        var report = Assert.Single(host.Control.Egress());
        output.WriteLine($"limit 5/s per IP, box after 3 429s: {string.Join(", ", statuses.Select(s => (int)s))}; 2 s later {(int)boxed.Status}; "
            + $"after the box {(int)released.Status}; report: {report}");

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, boxed.Status);
        Assert.Equal(HttpStatusCode.OK, released.Status);
        Assert.Equal("127.0.0.1", report.Ip);
        Assert.Equal(8, report.MaxPerSecond);
        Assert.Equal(1, report.PenaltyBoxes);
        Assert.Equal(1, report.RefusedInPenaltyBox);
    }
}

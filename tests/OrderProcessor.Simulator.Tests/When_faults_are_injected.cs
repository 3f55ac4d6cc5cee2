using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_faults_are_injected
{
    private const int Conid = 265598;
    private static readonly string Ticket = IbkrUser.Ticket(Conid, "MKT", "BUY", 1, cOID: "fault-1");

    private static async Task<IbkrUser> TraderAsync(SimulatorHost host)
    {
        var user = await host.OpenSessionAsync("alice");
        await user.SuppressAsync("o10151");
        return user;
    }

    [Fact]
    public async Task Should_answer_a_server_error_without_processing_the_request()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        using var control = host.CreateClient();
        using var put = await control.PutAsJsonAsync("/__sim/faults", new { serverErrorRate = 1.0, pathContains = "/orders" });

        var answer = await user.PlaceAsync(Ticket);

        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.Status);
        Assert.Empty(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_give_a_canned_answer_without_processing_the_request()
    {
        using var host = new SimulatorHost();
        using var user = await host.OpenSessionAsync("alice");
        host.Control.SetFaults(new FaultSettings { CannedRate = 1.0, CannedStatus = 400, CannedBody = "{\"error\":\"Bad Request\"}", PathContains = "/questions/suppress" });

        var suppress = await user.SuppressAsync("o10151");
        host.Control.ClearFaults();
        var place = await user.PlaceAsync(Ticket);

        Assert.Equal(HttpStatusCode.BadRequest, suppress.Status);
        Assert.Equal("Bad Request", suppress.Error);
        Assert.True(place.IsQuestion, $"the suppression must not have happened, so o10151 is asked: {place.Raw}");
    }

    [Fact]
    public async Task Should_process_the_order_then_replace_its_answer_with_the_canned_one()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetFaults(new FaultSettings { CannedRate = 1.0, CannedStatus = 202, CannedBody = "{\"status\":\"queued\"}", CannedAfterProcessing = true, PathContains = "/orders" });

        var answer = await user.PlaceAsync(Ticket);

        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        Assert.Equal("{\"status\":\"queued\"}", answer.Raw);
        Assert.Equal("fault-1", Assert.Single(host.Control.Ledger()).COID);
    }

    [Fact]
    public async Task Should_answer_429_at_the_configured_rate()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetFaults(new FaultSettings { TooManyRequestsRate = 1.0 });

        var answer = await user.PostAsync("/iserver/auth/status");

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
        Assert.Equal(1, host.Control.Stats().TooManyRequests);
    }

    [Fact]
    public async Task Should_process_and_record_the_order_then_abort_the_connection()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetFaults(new FaultSettings { AnswerLostRate = 1.0, PathContains = "/orders" });

        await Assert.ThrowsAnyAsync<Exception>(() => user.PlaceAsync(Ticket));
        host.Control.ClearFaults();
        var again = await user.PlaceAsync(Ticket);

        Assert.Equal("fault-1", Assert.Single(host.Control.Ledger()).COID);
        Assert.Contains(host.Control.Requests(), r => r.AnswerLost && r.Path.EndsWith("/orders", StringComparison.Ordinal));
        Assert.Equal("Order couldn't be submitted: Local order ID=fault-1 is already registered.", again.Error);
    }

    [Fact]
    public async Task Should_process_and_record_the_order_then_answer_504_when_asked_to()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetFaults(new FaultSettings { AnswerLostRate = 1.0, AnswerLostAs = "504" });

        var answer = await user.PlaceAsync(Ticket);

        Assert.Equal(HttpStatusCode.GatewayTimeout, answer.Status);
        Assert.Single(host.Control.Ledger());
    }

    [Fact]
    public async Task Should_apply_only_to_the_matching_user_and_path()
    {
        using var host = new SimulatorHost();
        using var alice = await TraderAsync(host);
        using var bob = await host.OpenSessionAsync("bob");
        host.Control.SetFaults(new FaultSettings { ServerErrorRate = 1.0, ServerErrorStatus = 500, UserId = "bob", PathContains = "tickle" });

        var aliceTickle = await alice.PostAsync("/tickle");
        var bobStatus = await bob.PostAsync("/iserver/auth/status");
        var bobTickle = await bob.PostAsync("/tickle");

        Assert.Equal(HttpStatusCode.OK, aliceTickle.Status);
        Assert.Equal(HttpStatusCode.OK, bobStatus.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, bobTickle.Status);
    }

    [Fact]
    public async Task Should_fail_a_share_of_requests_reproducibly_from_the_seed()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);

        async Task<List<HttpStatusCode>> RunAsync()
        {
            host.Control.SetFaults(new FaultSettings { ServerErrorRate = 0.5, Seed = 7 });
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 40; i++)
                statuses.Add((await user.PostAsync("/iserver/auth/status")).Status);
            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.InRange(first.Count(s => s == HttpStatusCode.ServiceUnavailable), 8, 32);
    }

    [Fact]
    public async Task Should_delay_the_answer_by_the_latency()
    {
        using var host = new SimulatorHost();
        using var user = await TraderAsync(host);
        host.Control.SetFaults(new FaultSettings { LatencyMs = 150 });

        var watch = Stopwatch.StartNew();
        var answer = await user.PostAsync("/iserver/auth/status");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.True(watch.ElapsedMilliseconds >= 140, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Should_refuse_invalid_fault_settings()
    {
        using var host = new SimulatorHost();
        using var control = host.CreateClient();

        using var put = await control.PutAsJsonAsync("/__sim/faults", new { serverErrorRate = 1.5 });

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
    }
}

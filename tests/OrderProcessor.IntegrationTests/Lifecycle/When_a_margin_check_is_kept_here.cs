using System.Diagnostics;
using MassTransit;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Lifecycle;

/// <summary>
/// The broker worker asks the margin-check queue for due checks at every turn, about one per order at a steady rate, and
/// nearly always none is due: the queue looks in PostgreSQL only when a check was kept on this instance since its last
/// look, when its last claim filled the room it had, or at most every <c>Lifecycle:MarginCheckPollInterval</c> (here, like
/// the worker's own look, a minute, so only the first two can answer in time).
/// </summary>
public sealed class When_a_margin_check_is_kept_here(When_a_margin_check_is_kept_here.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_margin_check_is_kept_here.Fixture>
{
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Lifecycle:WorkPollInterval"] = "00:01:00",
            ["Lifecycle:MarginCheckPollInterval"] = "00:01:00",
            // One IBKR call at a time, so the checks of the second case queue behind each other.
            ["Lifecycle:MaxConcurrentWork"] = "1",
            ["Lifecycle:MaxConcurrentWorkPerUser"] = "1",
        };
    }

    [Fact]
    public async Task Should_run_it_at_once_though_the_worker_looks_every_minute()
    {
        fixture.Simulator.Control.PinPrice(3051, 100m);
        var client = fixture.Downstream.CreateRequestClient<MarginCheck>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.GetResponse<MarginCheckCompleted, OrderRejected>(Check("alice", "DU1234567", 3051));
            output.WriteLine($"check {i + 1} answered in {watch.ElapsedMilliseconds} ms");

            Assert.True(response.Is(out Response<MarginCheckCompleted>? _));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"check {i + 1} took {watch.ElapsedMilliseconds} ms: it waited for the worker's next look");
        }
    }

    /// <summary>
    /// Three checks kept while the worker's one slot runs a slow what-if (1 s): each told the queue, and the next claim has
    /// room for one. The claim that fills its room looks again at the next turn; otherwise the third would wait for the
    /// minute's look.
    /// </summary>
    [Fact]
    public async Task Should_run_checks_left_over_by_a_full_claim_at_the_next_turn()
    {
        fixture.Simulator.Control.PinPrice(3052, 100m);
        fixture.Simulator.Control.SetFaults(new FaultSettings { LatencyMs = 1000, PathContains = "/whatif", UserId = "bob" });
        try
        {
            var client = fixture.Downstream.CreateRequestClient<MarginCheck>();
            var watch = Stopwatch.StartNew();
            var first = client.GetResponse<MarginCheckCompleted, OrderRejected>(Check("bob", "DU2345678", 3052));
            await Task.Delay(300);
            var answers = await Task.WhenAll(new[] { first }.Concat(Enumerable.Range(0, 2).Select(_ =>
                client.GetResponse<MarginCheckCompleted, OrderRejected>(Check("bob", "DU2345678", 3052)))));
            output.WriteLine($"three checks answered in {watch.ElapsedMilliseconds} ms");

            Assert.All(answers, a => Assert.True(a.Is(out Response<MarginCheckCompleted>? _)));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"three checks took {watch.ElapsedMilliseconds} ms: one waited for the worker's next look");
        }
        finally
        {
            fixture.Simulator.Control.SetFaults(new FaultSettings());
        }
    }

    private static MarginCheck Check(string user, string account, int conid) => new()
    {
        CheckId = Guid.NewGuid(),
        UserId = user,
        AccountId = account,
        Conid = conid,
        Side = OrderSide.Buy,
        Quantity = 10,
        OrderType = OrderType.Limit,
        LimitPrice = 100m,
        TimeInForce = TimeInForce.Day,
    };
}

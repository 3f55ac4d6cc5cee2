using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Halts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Risk;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Risk;

/// <summary>
/// What the pre-trade risk check costs one PlaceOrder with the shipped defaults (duplicate guard off, no halt store yet):
/// the round trips it makes (counted from Npgsql's own trace: a batch is one) and the time of its locks and check, on this machine's
/// shared PostgreSQL, in the consumer's shape (a transaction per order).
/// </summary>
public sealed class When_the_risk_check_is_timed(IsolatedServers servers, ITestOutputHelper output) : IClassFixture<IsolatedServers>
{
    [Fact]
    public async Task Should_cost_a_few_statements_and_a_few_milliseconds_per_order()
    {
        var check = new PreTradeRiskCheck(Options.Create(new RiskOptions
        {
            MaxOrdersPerSecondPerAccount = 100_000,
            MaxOrdersPerMinutePerAccount = 1_000_000,
            MaxOrdersPerSecondPerUser = 100_000,
            MaxOrdersPerMinutePerUser = 1_000_000
        }), new NoHalts(), NullLogger<PreTradeRiskCheck>.Instance);
        var statements = 0;
        using var measured = new ActivitySource("risk-check-measure");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "risk-check-measure",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.Parent?.Source.Name == "risk-check-measure")
                {
                    Interlocked.Increment(ref statements);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var times = new List<double>();
        const int orders = 300;
        for (var i = 0; i < orders + 20; i++)
        {
            var command = TestOrders.Limit($"user-{i % 4}") with { AccountId = $"DU-TIMED-{i % 4}", Conid = 5000 + (i % 7) };
            await using var db = servers.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var clock = Stopwatch.StartNew();
            using (var span = measured.StartActivity("check"))
            {
                foreach (var key in check.LockKeys(command).Order(StringComparer.Ordinal))
                {
                    await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({key}, 0))");
                }

                var verdict = await check.CheckAsync(db, command, DateTimeOffset.UtcNow, CancellationToken.None);
                Assert.False(verdict.Refused, verdict.Reason);
            }

            clock.Stop();
            await transaction.CommitAsync();
            if (i >= 20)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        var perOrder = (double)statements / (orders + 20);
        output.WriteLine($"{orders} PlaceOrders (after 20 warm-up): {perOrder:0.##} round trips each (2 advisory locks; the limits read and the working count, one batch; the bucket spend, no savepoint); "
            + $"locks + check p50 {times[orders / 2]:0.00} ms, p90 {times[orders * 9 / 10]:0.00} ms, p99 {times[orders * 99 / 100]:0.00} ms, max {times[^1]:0.00} ms");
        Assert.Equal(4, perOrder);
        Assert.True(times[orders / 2] < 25, $"p50 {times[orders / 2]:0.00} ms");
    }
}

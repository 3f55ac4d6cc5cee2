using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderProcessor.Brokerage;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Configuration;
using OrderProcessor.Egress;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.ScaleOut;

/// <summary>
/// Three guards (as three processors would run them) behind one egress IP, sharing its budget through PostgreSQL, read
/// as fast as they are let; the simulator counts what the IP sends. Then IBKR boxes the IP, then one instance leaves.
/// </summary>
[Collection(WallClockRatesCollection.Name)]
public sealed class When_three_instances_share_one_egress_ip(IsolatedServers servers, ITestOutputHelper output) : IClassFixture<IsolatedServers>
{
    private const int Budget = 30;
    private const string Ip = "127.0.0.1";
    private static readonly System.Globalization.CultureInfo Invariant = System.Globalization.CultureInfo.InvariantCulture;

    [Fact]
    public async Task Should_stay_within_one_budget_together_pause_together_and_re_divide_when_one_leaves()
    {
        await using var simulator = new SimulatorUnderTest(new Dictionary<string, string?>
        {
            ["Simulator:PerIpRequestsPerSecond"] = Budget.ToString(Invariant),
        });
        using var stalls = new ProcessStallWatch();
        var guards = new List<IHost>();
        for (var i = 0; i < 3; i++)
        {
            guards.Add(await StartGuardAsync(simulator));
        }

        try
        {
            var budgets = guards.Select(g => g.Services.GetRequiredService<PostgresEgressBudget>()).ToList();
            await WaitUntilAsync(() => budgets.All(b => b.Current.Instances == 3), TimeSpan.FromSeconds(10));

            using var stop = new CancellationTokenSource();
            var stopsOfThird = new CancellationTokenSource();
            var readers = new List<Task>();
            for (var g = 0; g < guards.Count; g++)
            {
                var gateway = guards[g].Services.GetRequiredService<IBrokerageGateway>();
                var token = g == 2 ? CancellationTokenSource.CreateLinkedTokenSource(stop.Token, stopsOfThird.Token).Token : stop.Token;
                foreach (var user in Enumerable.Range(1, 5).Select(u => $"egress-{g}-{u}"))
                {
                    readers.Add(ReadAsFastAsLetAsync(gateway, user, token));
                }
            }

            var started = simulator.Control.Now;
            await Task.Delay(TimeSpan.FromSeconds(5));
            var boxedAt = simulator.Control.Now;
            simulator.Control.PenaltyBox(Ip, TimeSpan.FromSeconds(2));
            await Task.Delay(TimeSpan.FromSeconds(12));

            // One instance leaves: the other two take its share.
            var leftAt = simulator.Control.Now;
            await stopsOfThird.CancelAsync();
            await guards[2].StopAsync();
            await WaitUntilAsync(() => budgets.Take(2).All(b => b.Current.Instances == 2), TimeSpan.FromSeconds(10));
            // Measured after a settling time: under a loaded run the two took some seconds to reach their new shares (one
            // CI run measured 12/s over the first 4 s after the third left).
            await Task.Delay(TimeSpan.FromSeconds(4));
            var twoShareFrom = simulator.Control.Now;
            await Task.Delay(TimeSpan.FromSeconds(6));
            await stop.CancelAsync();
            await Task.WhenAll(readers);
            var ended = simulator.Control.Now;

            var log = simulator.Control.Requests().Where(r => r.Path.StartsWith("/v1/api", StringComparison.Ordinal) && r.At >= started).OrderBy(r => r.At).ToList();
            var report = simulator.Control.Egress().Single(e => e.Ip == Ip);
            // A request refused before authentication carries no user: its bearer token's fingerprint names the instance.
            var instanceOfCaller = log.Where(r => r.Caller is not null && r.UserId is not null)
                .GroupBy(r => r.Caller!).ToDictionary(g => g.Key, g => InstanceOf(g.First().UserId));
            string Sender(Simulator.Control.RequestLogEntry r) => r.UserId is not null ? InstanceOf(r.UserId) : r.Caller is { } c && instanceOfCaller.TryGetValue(c, out var i) ? i : "?";
            int PerSecond(DateTimeOffset from, DateTimeOffset to) => (int)(log.Count(r => r.At >= from && r.At < to) / (to - from).TotalSeconds);
            var beforeBox = PerSecond(started + TimeSpan.FromSeconds(1), boxedAt);
            var beforeBoxBusiest = Busiest(log.Where(r => r.At >= started + TimeSpan.FromSeconds(1) && r.At < boxedAt).Select(r => r.At).ToList());
            var byInstance = log.Where(r => r.At < boxedAt).GroupBy(r => InstanceOf(r.UserId)).OrderBy(g => g.Key)
                .Select(g => $"{g.Key}: {g.Count() / (boxedAt - started).TotalSeconds:0.0}/s");
            var firstRefusal = log.First(r => r.At >= boxedAt && r.Status == 429).At;
            var duringBox = log.Where(r => r.At >= boxedAt && r.At < boxedAt + TimeSpan.FromSeconds(2)).ToList();
            var probes = duringBox.Where(r => r.At > firstRefusal + TimeSpan.FromMilliseconds(300)).ToList();
            var afterBox = log.Where(r => r.At >= boxedAt + TimeSpan.FromSeconds(2) && r.At < leftAt).ToList();
            var rampStart = afterBox.Count > 0 ? afterBox[0].At : leftAt;
            var rampPerSecond = Enumerable.Range(0, 10).Select(s => afterBox.Count(r => r.At >= rampStart + TimeSpan.FromSeconds(s) && r.At < rampStart + TimeSpan.FromSeconds(s + 1))).ToArray();
            var withTwo = PerSecond(twoShareFrom, ended);
            // The busiest 1 s of the two: with a third's share each (10 per window and margin) it cannot pass 20; with half
            // each it can. An average would not tell them apart: the test process stalls now and then (700 ms with no GC
            // and idle threads, seen by a 100 ms sampler), and one CI run measured 14, 8, 16, 24 per second, 15/s on
            // average, after the two had taken their halves.
            var withTwoLog = log.Where(r => r.At >= twoShareFrom && r.At < ended).Select(r => r.At).ToList();
            var withTwoBusiest = Busiest(withTwoLog);

            var first = simulator.Control.Requests().Where(r => r.Path.StartsWith("/v1/api", StringComparison.Ordinal)).OrderBy(r => r.At).ToList();
            var t0 = first[0].At;
            output.WriteLine("first 3 s per 100 ms (requests/429s): " + string.Join(" ", Enumerable.Range(0, 30).Select(i =>
                $"{first.Count(r => r.At >= t0 + TimeSpan.FromMilliseconds(i * 100) && r.At < t0 + TimeSpan.FromMilliseconds((i + 1) * 100))}/{first.Count(r => r.Status == 429 && r.At >= t0 + TimeSpan.FromMilliseconds(i * 100) && r.At < t0 + TimeSpan.FromMilliseconds((i + 1) * 100))}")));
            output.WriteLine($"budget {Budget}/s for the IP; each instance configured with the whole budget, three share it through PostgreSQL");
            output.WriteLine($"before the box: {beforeBox}/s together, {beforeBoxBusiest} in the busiest 1 s ({string.Join(", ", byInstance)})");
            output.WriteLine($"IBKR boxed the IP for 2 s: {duringBox.Count} requests during the box, {probes.Count} of them probes after the first 429 "
                + $"(from {string.Join(", ", probes.Select(Sender).Distinct())})");
            output.WriteLine($"after the box, per second: {string.Join(", ", rampPerSecond)}");
            output.WriteLine($"after one instance left (4 s later, over 6 s): {withTwo}/s from the two others, {withTwoBusiest} in their busiest 1 s; per second from its leaving: "
                + string.Join(", ", Enumerable.Range(0, 10).Select(s => log.Count(r => r.At >= leftAt + TimeSpan.FromSeconds(s) && r.At < leftAt + TimeSpan.FromSeconds(s + 1)))));
            output.WriteLine($"the simulator's most requests from {Ip} within any 1 s: {report.MaxPerSecond}; 429s: {report.TooManyRequests}; penalty boxes: {report.PenaltyBoxes}");

            // The budget holds on the guards' clock, when they send (each window with its margin); the simulator counts
            // by arrival. A 1 s over the budget by arrival is a fault unless the test process, or its thread pool, froze
            // in it or just before it (the guards' window and margin back): then requests sent before the freeze arrived
            // with those sent after it. A CI run beside other classes saw 32 in 1 s with no freeze of the process, the
            // seconds around it holding 4 and 1: the pool had not run the sends (the watch now sees that too).
            var arrivals = log.Select(r => r.At).ToList();
            var overBudget = arrivals.Select((at, i) => (From: at, Count: arrivals.Skip(i).TakeWhile(t => t < at + TimeSpan.FromSeconds(1)).Count()))
                .Where(w => w.Count > Budget).ToList();
            var unexplained = overBudget.Where(w => !stalls.AnyNear(w.From, w.From + TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.1))).ToList();
            output.WriteLine($"freezes of the test process or its thread pool over {ProcessStallWatch.Threshold.TotalMilliseconds:F0} ms: "
                + (stalls.Stalls.Count == 0 ? "none" : string.Join(", ", stalls.Stalls.Select(st => $"{st} at +{(st.From - started).TotalSeconds:F1} s")))
                + $"; 1 s windows over the budget by arrival: {overBudget.Count}, {unexplained.Count} of them without a freeze");
            Assert.True(unexplained.Count == 0,
                $"the IP sent {unexplained.Select(w => w.Count).DefaultIfEmpty().Max()} within 1 s (budget {Budget}) from +{unexplained.Select(w => (w.From - started).TotalSeconds).DefaultIfEmpty().Min():F2} s, with no freeze of the test process or its thread pool near it");
            Assert.Equal(1, report.PenaltyBoxes);
            // Together they use the budget: the busiest 1 s well above a third of it (each instance taking a third of its
            // third would stay near 10), the average at least half of it. An average alone failed a loaded CI run at 19/s
            // (7.2, 7.0 and 7.0 by instance, no 429) against a bound of 20: the readers, not the shares, fell behind.
            Assert.True(beforeBoxBusiest > Budget * 2 / 3, $"the three sent at most {beforeBoxBusiest} within 1 s before the box (budget {Budget})");
            Assert.InRange(beforeBox, Budget / 2, Budget);
            Assert.InRange(probes.Count, 1, 4);
            Assert.True(rampPerSecond[0] <= 6, $"{rampPerSecond[0]} requests in the first second after the box: a ramp, not a burst");
            Assert.True(rampPerSecond.Skip(6).Max() > rampPerSecond[1], "the rate climbs back");
            Assert.True(withTwoBusiest > Budget * 2 / 3, $"the two sent at most {withTwoBusiest} within 1 s: they did not take the third's share");
            Assert.True(withTwo <= Budget, $"the two sent {withTwo}/s (budget {Budget})");
        }
        finally
        {
            foreach (var guard in guards)
            {
                await guard.StopAsync();
                guard.Dispose();
            }
        }
    }

    /// <summary>The most arrivals within any 1 s of <paramref name="arrivals"/> (in order).</summary>
    private static int Busiest(List<DateTimeOffset> arrivals) =>
        arrivals.Select((at, i) => arrivals.Skip(i).TakeWhile(t => t < at + TimeSpan.FromSeconds(1)).Count()).DefaultIfEmpty().Max();

    private static string InstanceOf(string? userId) => userId is { Length: > 8 } ? userId[..8] : userId ?? "?";

    private async Task<IHost> StartGuardAsync(SimulatorUnderTest simulator)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(SimulatorUnderTest.ProcessorSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Brokerage:Session:TickleEnabled"] = "false",
            ["Brokerage:Pacing:PerEgressIpPerSecond"] = Budget.ToString(Invariant),
            ["Brokerage:Pacing:SharedBudgetHeartbeat"] = "00:00:00.200",
            ["Brokerage:Pacing:SharedBudgetMemberTimeout"] = "00:00:02",
            // Two cores shared with other test runs: a send can reach the simulator 100+ ms after its slot was granted.
            ["Brokerage:Pacing:SafetyMargin"] = "00:00:00.250",
            ["Brokerage:Pacing:EgressPauseAfterTooManyRequests"] = "00:00:00.500",
            ["Brokerage:Pacing:MaxBackoff"] = "00:00:01",
            ["Brokerage:Pacing:BackoffAfterTooManyRequests"] = "00:00:00.100",
            ["Brokerage:Pacing:RampStartPerSecond"] = "3",
            ["Brokerage:Pacing:RampTime"] = "00:00:08",
            ["Brokerage:Resilience:MaxRetryAttempts"] = "0",
            ["Brokerage:Maintenance:Enabled"] = "false", // the wall clock: no scheduled IBKR window may hold this test's calls
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddOptions<DatabaseOptions>().Configure(o => o.ConnectionString = servers.ConnectionString);
        builder.Services.AddOrderProcessorDatabase();
        builder.Services.AddBrokerageGuard(builder.Configuration.GetSection(BrokerageOptions.SectionName));
        builder.Services.AddSharedEgressBudget();
        builder.Services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(simulator.CreateHandler));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task ReadAsFastAsLetAsync(IBrokerageGateway gateway, string user, CancellationToken stop)
    {
        await Task.Yield();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await gateway.GetAccountsAsync(user, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Brokerage.Failures.BrokerageException or HttpRequestException or OperationCanceledException)
            {
                // Paced or refused: the guard decides when to send again.
            }
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < within, "timed out waiting");
            await Task.Delay(50);
        }
    }
}

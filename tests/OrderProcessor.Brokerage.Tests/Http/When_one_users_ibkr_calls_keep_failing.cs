using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Resilience;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// One user's IBKR calls time out, then answer 5xx or lose their answers, then its answers to IBKR's questions are refused as stale, for a
/// minute (GUARD_FAULT_SECONDS shortens it for a quick run). Four other users keep placing orders the whole time.
/// </summary>
public sealed class When_one_users_ibkr_calls_keep_failing(ITestOutputHelper output)
{
    private const string Sick = "sick-user";
    private static readonly string[] Healthy = ["healthy-1", "healthy-2", "healthy-3", "healthy-4"];

    [Fact]
    public async Task Should_open_only_that_users_circuit_and_leave_every_other_users_orders_flowing()
    {
        var faultFor = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("GUARD_FAULT_SECONDS"), out var s) ? s : 60);
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, settings =>
        {
            settings["Brokerage:Timeouts:Attempt"] = "00:00:02";
            settings["Brokerage:Resilience:MaxRetryAttempts"] = "2";
            settings["Brokerage:Resilience:BreakerMinimumThroughput"] = "4";
            settings["Brokerage:Resilience:BreakerSamplingDuration"] = "00:00:10";
            settings["Brokerage:Resilience:BreakerBreakDuration"] = "00:00:03";
        });
        var domains = guard.Services.GetRequiredService<IUserFailureDomains>();
        var accounts = new Dictionary<string, string>();
        foreach (var user in Healthy.Append(Sick))
        {
            accounts[user] = (await guard.Gateway.GetAccountsAsync(user))[0];
        }

        var baseline = await PlaceRoundAsync(guard, accounts, rounds: 3);

        using var stop = new CancellationTokenSource();
        var placements = new ConcurrentBag<(string User, string Coid, PlaceOrderOutcome Outcome, TimeSpan Took)>();
        var healthyFailures = new ConcurrentBag<string>();
        var sickOutcomes = new ConcurrentDictionary<string, int>();
        var othersNotClosed = new ConcurrentBag<string>();
        var sickOpenSamples = 0;
        var samples = 0;

        var healthyLoops = Healthy.Select(user => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var ticket = Tickets.Market();
                var watch = Stopwatch.StartNew();
                try
                {
                    var result = await guard.Gateway.PlaceOrderAsync(user, accounts[user], [ticket]);
                    placements.Add((user, ticket.ClientOrderId, result.Outcome, watch.Elapsed));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    healthyFailures.Add($"{user}: {ex.GetType().Name} {ex.Message}");
                }

                // About one order per user and second: the sick user's failures outnumber everyone's successes, as they
                // would at a quiet hour (a shared circuit would open for everyone).
                await Task.Delay(1_000);
            }
        })).ToList();

        // The sick user keeps placing, reading its orders and its accounts, each on its own.
        var sickCalls = new Func<Task>[]
        {
            async () =>
            {
                var placed = await guard.Gateway.PlaceOrderAsync(Sick, accounts[Sick], [Tickets.Market()]);
                sickOutcomes.AddOrUpdate($"placement {placed.Outcome}", 1, static (_, n) => n + 1);
            },
            () => guard.Gateway.GetLiveOrdersAsync(Sick),
            () => guard.Gateway.GetAccountsAsync(Sick),
        };
        var sickLoops = sickCalls.Select(call => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await call();
                    sickOutcomes.AddOrUpdate("ok", 1, static (_, n) => n + 1);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    var key = ex is Failures.BrokerageException b ? $"{b.Kind}{(CircuitWasOpen(ex) ? " (circuit open)" : string.Empty)}" : ex.GetType().Name;
                    sickOutcomes.AddOrUpdate(key, 1, static (_, n) => n + 1);
                    await Task.Delay(50);
                }
            }
        })).ToList();

        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var notClosed = domains.NotClosed();
                Interlocked.Increment(ref samples);
                if (notClosed.Any(c => c.UserId == Sick))
                {
                    Interlocked.Increment(ref sickOpenSamples);
                }

                foreach (var other in notClosed.Where(c => c.UserId != Sick))
                {
                    othersNotClosed.Add($"{other.UserId}/{other.Group}");
                }

                await Task.Delay(100);
            }
        });

        // First third: every call of the sick user times out; second: 5xx and lost answers; last: each placement of the
        // sick user asks a question (one the policy declines) and the answer to it is refused as stale (IBKR's "reply id not found").
        var faultStarted = Stopwatch.StartNew();
        simulator.Control.SetFaults(new FaultSettings { UserId = Sick, PathContains = "/v1/api", LatencyMs = 4_000 });
        await Task.Delay(faultFor / 3);
        simulator.Control.SetFaults(new FaultSettings { UserId = Sick, PathContains = "/v1/api", ServerErrorRate = 0.6, AnswerLostRate = 0.8, Seed = 7 });
        await Task.Delay(faultFor / 3);
        simulator.Control.SetExtraQuestions([new Simulator.Orders.Question("o9999", "Something new. Are you sure?")], Sick);
        simulator.Control.SetFaults(new FaultSettings
        {
            UserId = Sick,
            PathContains = "/iserver/reply",
            CannedRate = 1,
            CannedStatus = 400,
            CannedBody = "{\"error\":\"reply id not found\",\"statusCode\":400}",
        });
        await Task.Delay(faultFor / 3);
        var sickStateAtEnd = domains.StateOf(Sick);
        var faultedFor = faultStarted.Elapsed;
        stop.Cancel();
        await Task.WhenAll(healthyLoops.Append(sampler));
        simulator.Control.ClearFaults();
        await Task.WhenAll(sickLoops).WaitAsync(TimeSpan.FromSeconds(60));
        var staleConfirmations = simulator.Control.Requests().Count(r => r.Path.Contains("/iserver/reply", StringComparison.Ordinal) && r.Status == 400);

        // Every accepted order of the healthy users also fills.
        var accepted = placements.Where(p => p.Outcome == PlaceOrderOutcome.Accepted).Select(p => p.Coid).ToHashSet();
        var filled = await WaitForFillsAsync(simulator, accepted, TimeSpan.FromSeconds(10));
        var during = placements.Select(p => p.Took.TotalMilliseconds).Order().ToList();
        var p50 = during[during.Count / 2];
        var p95 = during[(int)(during.Count * 0.95)];
        output.WriteLine($"faults on {Sick} for {faultedFor.TotalSeconds:0} s (timeouts, then 5xx and lost answers, then answers to questions refused as stale)");
        output.WriteLine($"healthy placements before: max {baseline.Max(t => t.TotalMilliseconds):0} ms; during: {during.Count} placed, "
            + $"p50 {p50:0} ms, p95 {p95:0} ms, max {during[^1]:0} ms; not accepted: {placements.Count(p => p.Outcome != PlaceOrderOutcome.Accepted)}; "
            + $"failures: {healthyFailures.Count}; filled: {filled}/{accepted.Count}");
        output.WriteLine($"{Sick}: {string.Join(", ", sickOutcomes.OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value}"))}; "
            + $"circuit not closed in {sickOpenSamples}/{samples} samples, at the end {sickStateAtEnd}; answers to questions refused as stale: {staleConfirmations}");
        output.WriteLine($"other users' circuits ever not closed: {othersNotClosed.Count} samples ({string.Join(", ", othersNotClosed.Distinct())})");

        Assert.Empty(healthyFailures);
        Assert.All(placements, p => Assert.Equal(PlaceOrderOutcome.Accepted, p.Outcome));
        Assert.True(placements.Count >= Healthy.Length * faultFor.TotalSeconds / 2, "the healthy users kept placing");
        Assert.Equal(accepted.Count, filled);
        Assert.True(during[^1] < Math.Max(2_000, 4 * baseline.Max(t => t.TotalMilliseconds)), "no healthy placement waited on the sick user");
        Assert.True(sickOpenSamples > 0, "the sick user's circuit opened");
        Assert.True(staleConfirmations > 0, "the sick user's answers to questions were refused as stale");
        Assert.True(sickOutcomes.Keys.Any(k => k.Contains("circuit open", StringComparison.Ordinal)), "the sick user's calls failed fast while open");
        Assert.Empty(othersNotClosed);
    }

    private static bool CircuitWasOpen(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is Polly.CircuitBreaker.BrokenCircuitException)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<List<TimeSpan>> PlaceRoundAsync(GuardHost guard, Dictionary<string, string> accounts, int rounds)
    {
        var took = new List<TimeSpan>();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var user in Healthy)
            {
                var watch = Stopwatch.StartNew();
                var result = await guard.Gateway.PlaceOrderAsync(user, accounts[user], [Tickets.Market()]);
                Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
                took.Add(watch.Elapsed);
            }
        }

        return took;
    }

    private static async Task<int> WaitForFillsAsync(SimulatorServer simulator, HashSet<string> coids, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var filled = simulator.Control.Ledger().Count(l => l.COID is { } c && coids.Contains(c) && l.Status == "Filled");
            if (filled == coids.Count || watch.Elapsed > within)
            {
                return filled;
            }

            await Task.Delay(200);
        }
    }
}

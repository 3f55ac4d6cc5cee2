using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// A day of a platform: 10,000 distinct users each open a session through the guard (token, init, suppression, accounts
/// warm-up, a call), then go idle. Past the prune time the guard's per-user state (sessions, token slots, gates, pacing
/// windows) is back to about nothing and the managed heap after a full GC is back near where it started.
/// </summary>
[Collection(MemoryMeasurement.Name)]
public sealed class When_ten_thousand_users_go_idle(ITestOutputHelper output)
{
    private const int Users = 10_000;

    [Fact]
    public async Task Should_forget_idle_users_in_the_background_sweep()
    {
        // In production PruneAfter exceeds IdleAfter by more than IBKR's idle timeout, so a forgotten user's session at
        // IBKR has ended; here it has not (seconds, not minutes), so the next init takes it over (compete).
        // The sweep is measured here, not pacing: the per-IP limits are lifted, as in the memory test below. Paced, the 50
        // set-ups (250 requests) took 5-14 s, and the sweep forgot the first users before the count of those held.
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["PerIpRequestsPerSecond"] = "0" });
        await using var guard = await GuardHost.StartAsync(simulator, settings =>
        {
            settings["Brokerage:Ibkr:Compete"] = "true";
            settings["Brokerage:Pacing:PerEgressIpPerSecond"] = "1000000";
            settings["Brokerage:Session:IdleAfter"] = "00:00:01";
            // Longer than the set-ups take on a loaded machine, with room.
            settings["Brokerage:Session:PruneAfter"] = "00:00:08";
            settings["Brokerage:Session:PruneInterval"] = "00:00:00.250";
        });
        var pruner = Pruner(guard);
        var ran = Stopwatch.StartNew();
        await RunUsersAsync(guard, "sweep", 50);
        var held = pruner.Counts();
        ran.Stop();

        var waited = await WaitForPruneAsync(pruner, TimeSpan.FromSeconds(40));
        var after = pruner.Counts();
        var again = await guard.Gateway.GetAccountsAsync("sweep-user-00000");

        output.WriteLine($"held after {ran.Elapsed.TotalSeconds:0.0} s of set-ups: {held}; {waited.TotalSeconds:0.0} s later: {after}; a forgotten user's next call reads {again.Count} account(s)");
        Assert.Equal(50, held.Sessions);
        Assert.Equal((0, 0, 0), (after.Sessions, after.Tokens, after.Gates));
        Assert.NotEmpty(again);
    }

    [Fact]
    public async Task Should_forget_every_idle_user_and_leave_memory_flat()
    {
        // Memory is measured here, not pacing: the simulator's per-IP limit is lifted (20,000 set-ups at the guard's full
        // egress budget; arrivals bunched by a loaded machine would otherwise draw 429s that this test is not about).
        await using var simulator = new SimulatorServer(new Dictionary<string, string?> { ["PerIpRequestsPerSecond"] = "0" });
        await using var guard = await GuardHost.StartAsync(simulator, settings =>
        {
            settings["Brokerage:Pacing:PerEgressIpPerSecond"] = "1000000";
            settings["Brokerage:Session:IdleAfter"] = "00:00:01";

            // The run takes longer than a short PruneAfter: the test sweeps itself once every user has run, so that the
            // figures while held count all of them.
            settings["Brokerage:Session:PruneAfter"] = "01:00:00";
        });
        var pruner = Pruner(guard);

        await RunUsersAsync(guard, "warm", 64);
        pruner.PruneIdleBefore(DateTimeOffset.UtcNow.AddSeconds(1));
        var initial = Settle(guard, simulator);

        // Two days of 10,000 distinct users each. The first day also grows what a process keeps anyway (thread and
        // buffer pools, the dictionaries' capacity); the second shows whether anything stays per user.
        var first = await DayAsync(guard, simulator, pruner, "monday");
        var second = await DayAsync(guard, simulator, pruner, "tuesday");

        output.WriteLine($"managed heap after full GC before any day: {Mb(initial)}");
        foreach (var day in new[] { first, second })
        {
            output.WriteLine($"{day.Name}: {Users} users through the guard in {day.Ran.TotalSeconds:0.0} s");
            output.WriteLine($"  held while active: sessions {day.Held.Sessions}, token slots {day.Held.Tokens}, gates {day.Held.Gates}, pacing windows {day.Held.PacingWindows}; heap {Mb(day.HeapHeld)}");
            output.WriteLine($"  after idling past the prune time ({day.Forgotten} forgotten): sessions {day.After.Sessions}, token slots {day.After.Tokens}, gates {day.After.Gates}, pacing windows {day.After.PacingWindows}; heap {Mb(day.HeapAfter)}");
        }

        var perDay = second.HeapAfter - first.HeapAfter;
        output.WriteLine($"heap kept by the first day: {Mb(first.HeapAfter - initial)} (of +{Mb(first.HeapHeld - initial)} while held); by the second day: {Mb(perDay)} (of +{Mb(second.HeapHeld - first.HeapAfter)} while held)");
        foreach (var day in new[] { first, second })
        {
            Assert.Equal(Users, day.Held.Sessions);
            Assert.Equal(Users, day.Forgotten);
            Assert.Equal((0, 0, 0), (day.After.Sessions, day.After.Tokens, day.After.Gates));
            Assert.True(day.After.PacingWindows <= 1, $"only the shared egress-IP window may remain, found {day.After.PacingWindows}");
        }

        Assert.True(perDay < Math.Max(3L << 19, (second.HeapHeld - first.HeapAfter) / 10),
            $"a second day of {Users} users kept {Mb(perDay)} after pruning: memory grows per user");
        Assert.True(first.HeapAfter - initial < (first.HeapHeld - initial) / 2, "the first day's pruning gave back most of what its users held");
    }

    private static async Task<Day> DayAsync(GuardHost guard, SimulatorServer simulator, UserStatePruner pruner, string name)
    {
        var clock = Stopwatch.StartNew();
        await RunUsersAsync(guard, name, Users);
        var ran = clock.Elapsed;
        var held = pruner.Counts();
        var heapHeld = Settle(guard, simulator);
        var forgotten = pruner.PruneIdleBefore(DateTimeOffset.UtcNow.AddSeconds(1));
        var after = pruner.Counts();
        return new Day(name, ran, held, heapHeld, forgotten, after, Settle(guard, simulator));
    }

    private static UserStatePruner Pruner(GuardHost guard) => guard.Services.GetServices<IHostedService>().OfType<UserStatePruner>().Single();

    private static async Task RunUsersAsync(GuardHost guard, string prefix, int count)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var accounts = await guard.Gateway.GetAccountsAsync($"{prefix}-user-{i:D5}");
                Assert.NotEmpty(accounts);
            }
        })));
    }

    private static async Task<TimeSpan> WaitForPruneAsync(UserStatePruner pruner, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (pruner.Counts() is var counts && (counts.Sessions > 0 || counts.Tokens > 0 || counts.Gates > 0) && waited.Elapsed < limit)
        {
            await Task.Delay(100);
        }

        return waited.Elapsed;
    }

    /// <summary>Drops what the test harness itself keeps (captured logs and requests, the simulator's state), then a full GC.</summary>
    private static long Settle(GuardHost guard, SimulatorServer simulator)
    {
        guard.Logs.Clear();
        guard.Requests.Clear();
        simulator.Control.Reset();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private sealed record Day(
        string Name,
        TimeSpan Ran,
        (int Sessions, int Tokens, int Gates, int PacingWindows) Held,
        long HeapHeld,
        int Forgotten,
        (int Sessions, int Tokens, int Gates, int PacingWindows) After,
        long HeapAfter);

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MB";
}

/// <summary>The heap is the process's: a memory measurement runs alone, after the tests that run in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurement
{
    public const string Name = "memory measurement";
}

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
public sealed class When_ten_thousand_users_go_idle(ITestOutputHelper output)
{
    private const int Users = 10_000;

    [Fact]
    public async Task Should_forget_every_idle_user_and_leave_memory_flat()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, settings =>
        {
            settings["Brokerage:Pacing:PerEgressIpPerSecond"] = "1000000";
            settings["Brokerage:Session:IdleAfter"] = "00:00:01";
            settings["Brokerage:Session:PruneAfter"] = "00:00:02";
            settings["Brokerage:Session:PruneInterval"] = "00:00:00.500";
        });
        var pruner = guard.Services.GetServices<IHostedService>().OfType<UserStatePruner>().Single();

        // Warm up (JIT, pools, the simulator's own structures) with a few users, and let them be forgotten too.
        await RunUsersAsync(guard, "warm", 64);
        await WaitForPruneAsync(pruner, TimeSpan.FromSeconds(20));
        var baseline = Settle(guard, simulator);

        var clock = Stopwatch.StartNew();
        await RunUsersAsync(guard, "day", Users);
        var ran = clock.Elapsed;
        var held = pruner.Counts();
        var peak = Settle(guard, simulator);

        var forgottenIn = await WaitForPruneAsync(pruner, TimeSpan.FromSeconds(30));
        var after = pruner.Counts();
        var flat = Settle(guard, simulator);

        output.WriteLine($"{Users} users through the guard in {ran.TotalSeconds:0.0} s");
        output.WriteLine($"held while active: sessions {held.Sessions}, token slots {held.Tokens}, gates {held.Gates}, pacing windows {held.PacingWindows}");
        output.WriteLine($"after idling past the prune time ({forgottenIn.TotalSeconds:0.0} s): sessions {after.Sessions}, token slots {after.Tokens}, gates {after.Gates}, pacing windows {after.PacingWindows}");
        output.WriteLine($"managed heap after full GC: baseline {Mb(baseline)}, with {Users} users held {Mb(peak)} (+{Mb(peak - baseline)}), after pruning {Mb(flat)} (+{Mb(flat - baseline)})");
        Assert.True(held.Sessions >= Users, "every user was held while active");
        Assert.Equal((0, 0, 0), (after.Sessions, after.Tokens, after.Gates));
        Assert.True(after.PacingWindows <= 2, $"only the shared egress-IP window may remain, found {after.PacingWindows}");
        Assert.True(flat - baseline < Math.Max(4L << 20, (peak - baseline) / 4),
            $"managed heap grew by {Mb(flat - baseline)} after pruning (held: +{Mb(peak - baseline)})");
    }

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

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0.0} MB";
}

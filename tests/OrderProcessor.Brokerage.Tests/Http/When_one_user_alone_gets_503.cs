using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// One user's back-end is down (its server restarts alone): that user is held, its region and the other users are not.
/// A 503 that is not an outage (the status probe still says connected) holds nobody.
/// </summary>
public sealed class When_one_user_alone_gets_503(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_hold_that_user_only_and_release_it_when_its_probe_says_connected()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => AvailabilitySettings.Apply(s));
        var availability = AvailabilitySettings.Of(guard);
        var released = new ConcurrentQueue<string>();
        availability.Released += users => { foreach (var u in users) released.Enqueue(u); };
        const string alone = "alone-down";
        const string other = "alone-fine";
        await guard.Gateway.GetAccountsAsync(alone);
        await guard.Gateway.GetAccountsAsync(other);

        simulator.Control.StartMaintenance(TimeSpan.FromMinutes(5), [alone]);
        var first = await Record.ExceptionAsync(() => guard.Gateway.GetAccountsAsync(alone));
        var held = await RecordingStreamObserver.WaitFor(() => !availability.Check(alone).Available, Within);
        var before = simulator.IbkrRequestsOf(alone).Count(r => !r.Path.EndsWith("/iserver/auth/status", StringComparison.Ordinal));
        var refused = new List<BrokerageFailureKind>();
        for (var i = 0; i < 5; i++)
            refused.Add(((BrokerageException)(await Record.ExceptionAsync(() => guard.Gateway.GetAccountsAsync(alone)))!).Kind);
        var after = simulator.IbkrRequestsOf(alone).Count(r => !r.Path.EndsWith("/iserver/auth/status", StringComparison.Ordinal));
        var otherAccounts = await guard.Gateway.GetAccountsAsync(other);
        var newcomer = availability.Check("alone-newcomer");
        var (regions, users) = availability.Unavailable();
        var health = await new IbkrAvailabilityHealthCheck(guard.Services).CheckHealthAsync(new HealthCheckContext());

        simulator.Control.EndMaintenance();
        var back = await RecordingStreamObserver.WaitFor(() => released.Contains(alone), Within);
        var accounts = await guard.Gateway.GetAccountsAsync(alone);

        output.WriteLine($"first call {first?.GetType().Name}; held {held?.TotalMilliseconds:0} ms later; 5 more calls: {string.Join(",", refused)}, requests other than probes {before} → {after}");
        output.WriteLine($"other user's accounts {otherAccounts.Count}; a newcomer available {newcomer.Available}; unavailable regions [{string.Join(",", regions)}], users [{string.Join(",", users)}]; health {health.Status}: {health.Description}");
        output.WriteLine($"released {back?.TotalMilliseconds:0} ms after the end (released: {string.Join(",", released)}); accounts {accounts.Count}");
        Assert.NotNull(held);
        Assert.All(refused, k => Assert.Equal(BrokerageFailureKind.Unavailable, k));
        Assert.Equal(before, after); // no retries, nothing for the circuit: nothing sent
        Assert.NotEmpty(otherAccounts);
        Assert.True(newcomer.Available);
        Assert.Empty(regions);
        Assert.Equal([alone], users);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.NotNull(back);
        Assert.Equal([alone], released.Distinct());
        Assert.NotEmpty(accounts);
    }

    [Fact]
    public async Task Should_hold_nobody_for_a_503_whose_probe_says_connected()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => AvailabilitySettings.Apply(s));
        var availability = AvailabilitySettings.Of(guard);
        const string user = "plain-503";
        await guard.Gateway.GetAccountsAsync(user);
        simulator.Control.SetFaults(new FaultSettings { ServerErrorRate = 1.0, PathContains = "/iserver/accounts", UserId = user });

        var failures = new List<string?>();
        for (var i = 0; i < 3; i++)
            failures.Add((await Record.ExceptionAsync(() => guard.Gateway.GetAccountsAsync(user)))?.GetType().Name);
        var probed = await simulator.RecordedCountOf(user, "POST", "/iserver/auth/status", atLeast: 1);
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        var check = availability.Check(user);
        var probes = simulator.CountOf(user, "POST", "/iserver/auth/status");

        output.WriteLine($"calls: {string.Join(",", failures)}; probes {probes}; available {check.Available}");
        Assert.DoesNotContain(nameof(IbkrUnavailableException), failures);
        Assert.True(probed >= 1);
        Assert.InRange(probes, 1, 2); // at most one per ProbeInterval (1 s) whatever the 503s
        Assert.True(check.Available);
    }
}

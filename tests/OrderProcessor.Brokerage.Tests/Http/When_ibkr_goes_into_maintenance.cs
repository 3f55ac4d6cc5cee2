using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Contracts;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Maintenance;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// IBKR's back-end goes into maintenance: during a scheduled window nothing is sent at all; in an unscheduled one (the
/// simulator's <c>PUT /__sim/maintenance</c>) the first answers (503, or 401 / "no bridge" then init
/// <c>connected:false</c>) put the user, then the region, on hold: every later call fails with
/// <see cref="IbkrUnavailableException"/> before anything is sent, tickles and the stream pause, one probe per
/// ProbeInterval asks, and the users are released on the first <c>connected:true</c>.
/// </summary>
public sealed class When_ibkr_goes_into_maintenance(ITestOutputHelper output)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Should_send_nothing_during_a_scheduled_window_and_release_its_users_when_it_ends()
    {
        await using var simulator = new SimulatorServer();
        var start = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1);
        var length = TimeSpan.FromSeconds(5);
        await using var guard = await GuardHost.StartAsync(simulator, s => AvailabilitySettings.Apply(s, start, length));
        var availability = AvailabilitySettings.Of(guard);
        var released = new ConcurrentQueue<(DateTimeOffset At, string User)>();
        availability.Released += users => { foreach (var u in users) released.Enqueue((DateTimeOffset.UtcNow, u)); };
        const string user = "window-user";

        var accounts = await Assert.ThrowsAsync<IbkrUnavailableException>(() => guard.Gateway.GetAccountsAsync(user));
        var place = await Assert.ThrowsAsync<IbkrUnavailableException>(() => guard.Gateway.PlaceOrderAsync(user, "DU1", [Tickets.Market()]));
        var (regions, _) = availability.Unavailable();
        var sentDuring = simulator.IbkrRequestsOf(user).Count + simulator.TokenRequestsOf(user);
        var back = await RecordingStreamObserver.WaitFor(() => released.Any(r => r.User == user), Within);
        var afterWindow = await guard.Gateway.GetAccountsAsync(user);

        var end = start + length;
        var releasedAt = released.First(r => r.User == user).At;
        output.WriteLine($"during the window: {accounts.Message}");
        output.WriteLine($"cause {accounts.Cause}, region {accounts.Region}, expected until {accounts.ExpectedUntil:O} (window end {end:O}); kind {place.Kind}, safe to repeat {place.IsSafeToRepeat}, not the order's {place.IsNotTheOrders}");
        output.WriteLine($"requests sent for the user during the window (IBKR and PiTrade): {sentDuring}; unavailable regions {string.Join(",", regions)}; released {(releasedAt - end).TotalMilliseconds:0} ms after the window's end; then accounts {string.Join(",", afterWindow)}");
        Assert.Equal(HoldCause.ScheduledMaintenance, accounts.Cause);
        Assert.Equal(AvailabilitySettings.Region, accounts.Region);
        Assert.Equal(end, accounts.ExpectedUntil);
        Assert.Equal(BrokerageFailureKind.Unavailable, place.Kind);
        Assert.True(place.IsSafeToRepeat && place.IsNotTheOrders);
        Assert.Equal(0, sentDuring);
        Assert.Contains(AvailabilitySettings.Region, regions);
        Assert.NotNull(back);
        Assert.True(releasedAt >= end, "released before the window ended");
        Assert.True(releasedAt - end < TimeSpan.FromSeconds(3), $"released {(releasedAt - end).TotalSeconds:0.0} s after the window's end (sweep every 1 s)");
        Assert.NotEmpty(afterWindow);
    }

    [Theory]
    [InlineData("place")]
    [InlineData("modify")]
    [InlineData("cancel")]
    public async Task Should_not_send_an_order_change_whose_pacing_wait_reaches_into_a_scheduled_window(string change)
    {
        // A 429 makes the user's calls wait 7 s for pacing; the change starts before the window and its wait ends in it.
        // A CI run saw a placement reach IBKR just inside a window while the only check was at the call's start, before
        // the waits.
        await using var simulator = new SimulatorServer();
        var windowStart = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        await using var guard = await GuardHost.StartAsync(simulator, s =>
        {
            AvailabilitySettings.Apply(s, windowStart, TimeSpan.FromSeconds(30));
            s["Brokerage:Maintenance:HoldBefore"] = "00:00:00";
            s["Brokerage:Pacing:BackoffAfterTooManyRequests"] = "00:00:07";
            s["Brokerage:Pacing:EgressPauseAfterTooManyRequests"] = "00:00:00.100";
            s["Brokerage:Resilience:MaxRetryAttempts"] = "0";
        });
        const string user = "paced-into-window";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.PinPrice(Tickets.Conid, 100m);
        var resting = Tickets.Limit(price: 98m, quantity: 5);
        var orderId = change == "place" ? null : (await guard.Gateway.PlaceOrderAsync(user, account, [resting])).OrderIdOf(resting.ClientOrderId);
        Assert.True(change == "place" || orderId is not null, "the resting order to change was not placed");
        simulator.Control.SetFaults(new FaultSettings { TooManyRequestsRate = 1.0, PathContains = "/iserver/accounts", UserId = user });
        var paced = await Assert.ThrowsAsync<BrokerageException>(() => guard.Gateway.GetAccountsAsync(user));
        simulator.Control.SetFaults(FaultSettings.None);

        var changeStarted = DateTimeOffset.UtcNow;
        Assert.True(changeStarted < windowStart - TimeSpan.FromSeconds(1), $"the set-up took too long: the {change} starts {(changeStarted - windowStart).TotalSeconds:0.0} s from the window's start");
        var refused = await Assert.ThrowsAsync<IbkrUnavailableException>(() => change switch
        {
            "place" => guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]),
            "modify" => guard.Gateway.ModifyOrderAsync(user, account, orderId!, resting with { Price = 98.5m }),
            _ => guard.Gateway.CancelOrderAsync(user, account, orderId!),
        });
        var failedAt = DateTimeOffset.UtcNow;

        var changesSent = simulator.IbkrRequestsOf(user)
            .Where(r => r.At >= changeStarted && r.Method is "POST" or "DELETE" && r.Path.Contains("/iserver/account/", StringComparison.Ordinal)).ToList();
        output.WriteLine($"read answered {paced.Kind}; the {change} started {(changeStarted - windowStart).TotalSeconds:0.00} s from the window's start, failed {(failedAt - windowStart).TotalSeconds:0.00} s from it: {refused.Message}");
        output.WriteLine($"order changes that reached IBKR after it started: {changesSent.Count}");
        Assert.Equal(BrokerageFailureKind.Paced, paced.Kind);
        Assert.Equal(HoldCause.ScheduledMaintenance, refused.Cause);
        Assert.True(refused.IsSafeToRepeat && refused.IsNotTheOrders);
        Assert.True(failedAt >= windowStart, $"the {change} failed before the window: it was not the late check that stopped it");
        Assert.Empty(changesSent);
    }

    [Fact]
    public async Task Should_hold_a_user_then_its_region_on_503s_probe_once_per_interval_and_release_everyone_on_connected()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => AvailabilitySettings.Apply(s));
        var availability = AvailabilitySettings.Of(guard);
        var released = new ConcurrentQueue<string>();
        availability.Released += users => { foreach (var u in users) released.Enqueue(u); };
        string[] users = ["outage-1", "outage-2", "outage-3"];
        foreach (var u in users)
            await guard.Gateway.GetAccountsAsync(u);

        simulator.Control.StartMaintenance(TimeSpan.FromMinutes(5));
        var first = await Record.ExceptionAsync(() => guard.Gateway.GetAccountsAsync(users[0]));
        var firstDown = await RecordingStreamObserver.WaitFor(() => !availability.Check(users[0]).Available, Within);
        var thirdWhileOneDown = availability.Check(users[2]);
        var accountsBefore = simulator.CountOf(users[0], "GET", "/iserver/accounts");
        var held = await Assert.ThrowsAsync<IbkrUnavailableException>(() => guard.Gateway.GetAccountsAsync(users[0]));
        var accountsAfter = simulator.CountOf(users[0], "GET", "/iserver/accounts");
        await Record.ExceptionAsync(() => guard.Gateway.GetAccountsAsync(users[1]));
        var regionDown = await RecordingStreamObserver.WaitFor(() => !availability.Check(users[2]).Available, Within);
        var sentBeforeThird = simulator.IbkrRequestsOf(users[2]).Count;
        var third = await Assert.ThrowsAsync<IbkrUnavailableException>(() => guard.Gateway.PlaceOrderAsync(users[2], "DU1", [Tickets.Market()]));
        var sentAfterThird = simulator.IbkrRequestsOf(users[2]).Count;
        var health = await new IbkrAvailabilityHealthCheck(guard.Services).CheckHealthAsync(new HealthCheckContext());
        var sessionState = guard.Sessions.GetSession(users[0])?.State;

        // Held for a while: count what each user still sends.
        var pauseStarted = simulator.Control.Now;
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        var held35 = watch.Elapsed;
        var during = simulator.Control.Requests().Where(r => r.At >= pauseStarted && users.Contains(r.UserId)).ToList();
        var probes = users.ToDictionary(u => u, u => during.Count(r => r.UserId == u && r.Path.EndsWith("/iserver/auth/status", StringComparison.Ordinal)));
        var others = during.Where(r => !r.Path.EndsWith("/iserver/auth/status", StringComparison.Ordinal)).ToList();

        simulator.Control.EndMaintenance();
        var allBack = await RecordingStreamObserver.WaitFor(() => users.All(released.Contains), Within);
        var afterAccounts = new List<int>();
        foreach (var u in users)
            afterAccounts.Add((await guard.Gateway.GetAccountsAsync(u)).Count);

        output.WriteLine($"first call: {first?.GetType().Name} {(first as BrokerageException)?.Kind}; user held {firstDown?.TotalMilliseconds:0} ms later; third user then available: {thirdWhileOneDown.Available}");
        output.WriteLine($"held call: {held.Message}; accounts requests {accountsBefore} → {accountsAfter}");
        output.WriteLine($"region held {regionDown?.TotalMilliseconds:0} ms after the second user's 503; third user's place: {third.Cause}, requests before/after {sentBeforeThird}/{sentAfterThird}; session {sessionState}; health {health.Status}: {health.Description}");
        output.WriteLine($"in {held35.TotalSeconds:0.0} s held: probes per user {string.Join(", ", probes.Select(p => $"{p.Key}={p.Value}"))}; other requests {others.Count} ({string.Join(", ", others.Select(r => $"{r.UserId} {r.Method} {r.Path}"))})");
        output.WriteLine($"released after the end: {allBack?.TotalMilliseconds:0} ms; accounts afterwards {string.Join(",", afterAccounts)}");
        Assert.NotNull(first);
        Assert.IsNotType<IbkrUnavailableException>(first); // the first 503 was sent: nothing was known yet
        Assert.NotNull(firstDown);
        Assert.True(thirdWhileOneDown.Available, "one user's outage must not hold the region (DetectUsers 2)");
        Assert.Equal(HoldCause.IbkrUnavailable, held.Cause);
        Assert.Null(held.ExpectedUntil);
        Assert.Equal(accountsBefore, accountsAfter);
        Assert.NotNull(regionDown);
        Assert.Equal(sentBeforeThird, sentAfterThird);
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.Equal(BrokerageSessionState.Paused, sessionState);
        var allowed = (int)(held35 / AvailabilitySettings.ProbeInterval) + 1;
        Assert.All(probes, p => Assert.InRange(p.Value, 0, allowed));
        Assert.InRange(probes[users[0]], 2, allowed);
        Assert.Equal(0, probes[users[2]]); // not a witness: nothing of it is sent
        Assert.Empty(others);
        Assert.NotNull(allBack);
        Assert.True(allBack!.Value < AvailabilitySettings.ProbeInterval + TimeSpan.FromSeconds(3));
        Assert.All(afterAccounts, n => Assert.True(n > 0));
    }

    [Theory]
    [InlineData(MaintenanceAnswer.Unauthorized)]
    [InlineData(MaintenanceAnswer.NoBridge)]
    public async Task Should_hold_the_user_when_the_reinit_after_a_lost_session_says_not_connected(MaintenanceAnswer answer)
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, s => AvailabilitySettings.Apply(s));
        var availability = AvailabilitySettings.Of(guard);
        const string user = "reinit-user";
        await guard.Gateway.GetAccountsAsync(user);
        simulator.Control.SetBehaviour(simulator.Control.Behaviour with { MaintenanceAnswer = answer });
        simulator.Control.StartMaintenance(TimeSpan.FromMinutes(5));

        var first = await Assert.ThrowsAsync<IbkrUnavailableException>(() => guard.Gateway.GetAccountsAsync(user));
        var sent = simulator.IbkrRequestsOf(user).Count;
        var inits = simulator.CountOf(user, "POST", "/iserver/auth/ssodh/init");
        var second = await Assert.ThrowsAsync<IbkrUnavailableException>(() => guard.Gateway.GetLiveOrdersAsync(user));
        var sentAfter = simulator.IbkrRequestsOf(user).Count;
        simulator.Control.EndMaintenance();
        var back = await RecordingStreamObserver.WaitFor(() => availability.Check(user).Available, Within);
        var accounts = await guard.Gateway.GetAccountsAsync(user);

        output.WriteLine($"{answer}: first call {first.Message}; requests {sent} (inits {inits}), after a second call {sentAfter}; back after {back?.TotalMilliseconds:0} ms; accounts {accounts.Count}");
        Assert.Equal(2, inits); // the one before, and the re-init that found no back-end
        Assert.Equal(sent, sentAfter);
        Assert.Equal(BrokerageFailureKind.Unavailable, second.Kind);
        Assert.NotNull(back);
        Assert.NotEmpty(accounts);
    }

    [Fact]
    public async Task Should_pause_the_stream_without_connect_attempts_and_stream_again_when_ibkr_is_back()
    {
        await using var simulator = new SimulatorServer(StreamingGuard.FastSimulator());
        await using var guard = await StreamingGuard.StartAsync(simulator, s => AvailabilitySettings.Apply(s));
        const string user = "stream-maintenance";
        guard.Streams.Follow(user, 1);
        Assert.NotNull(await guard.WaitForState(user, OrderStreamState.Streaming, Within));

        simulator.Control.StartMaintenance(TimeSpan.FromMinutes(5));
        var paused = await guard.WaitForState(user, OrderStreamState.Paused, Within);
        var upgradesAtPause = simulator.CountOf(user, "GET", "/ws");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var upgradesLater = simulator.CountOf(user, "GET", "/ws");
        var tickles = simulator.Control.Requests().Count(r => r.UserId == user && r.Path.EndsWith("/tickle", StringComparison.Ordinal) && r.Maintenance);
        simulator.Control.EndMaintenance();
        var streaming = await guard.WaitForState(user, OrderStreamState.Streaming, Within);

        var gaps = guard.Observer.Gaps.ToArray();
        output.WriteLine($"paused {paused?.TotalMilliseconds:0} ms after the start; websocket upgrades at the pause {upgradesAtPause}, 2.5 s later {upgradesLater}; tickles answered by the window {tickles}; streaming again {streaming?.TotalMilliseconds:0} ms after the end");
        output.WriteLine("gaps: " + string.Join(", ", gaps.Select(g => $"{g.Cause}#{g.ConnectionId}")));
        Assert.NotNull(paused);
        Assert.Equal(upgradesAtPause, upgradesLater);
        Assert.Equal(1, gaps.Count(g => g.Cause == StreamGapCause.Maintenance));
        Assert.NotNull(streaming);
    }
}

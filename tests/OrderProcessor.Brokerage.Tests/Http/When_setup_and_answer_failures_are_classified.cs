using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// The six failures of issue 17's done-when line, each through the guard against the simulator, each with its documented
/// outcome (README "What a failure means for the order"): a set-up or token failure waits (NotReady), a user PiTrade does
/// not entitle is refused (UserNotEntitled), refused partner credentials stop everyone (PartnerStopped), "no bridge" on a
/// placement re-inits and re-sends once, an {"error"} accounts answer is never "no accounts", an unrecognised 2xx on a
/// placement is ambiguous. Never a Rejected (BrokerageFailureKind.Rejected) for any of them.
/// </summary>
public sealed class When_setup_and_answer_failures_are_classified(ITestOutputHelper output)
{
    private const string PlacePath = "/orders";

    [Fact]
    public async Task Should_wait_not_reject_when_question_suppression_answers_400()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "suppress-400-user";
        simulator.Control.SetFaults(new FaultSettings { CannedRate = 1, CannedStatus = 400, CannedBody = "{\"error\":\"Bad Request\"}", PathContains = "/questions/suppress" });

        var failure = await Assert.ThrowsAnyAsync<BrokerageException>(() => guard.Gateway.PlaceOrderAsync(user, "DU0000001", [Tickets.Market()]));
        simulator.Control.ClearFaults();
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        var again = await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);

        output.WriteLine($"first: {failure.Kind} (not the order's: {failure.IsNotTheOrders}, safe to repeat: {failure.IsSafeToRepeat}): {failure.Message}");
        output.WriteLine($"after the fault cleared: {again.Outcome}; placements that reached IBKR: {simulator.CountOf(user, "POST", PlacePath)}");
        Assert.Equal(BrokerageFailureKind.NotReady, failure.Kind);
        Assert.True(failure.IsNotTheOrders);
        Assert.Equal(PlaceOrderOutcome.Accepted, again.Outcome);
        Assert.Equal(1, simulator.CountOf(user, "POST", PlacePath));
    }

    [Fact]
    public async Task Should_wait_not_reject_when_pitrade_answers_408()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "pitrade-408-user";
        simulator.Control.SetFaults(new FaultSettings { CannedRate = 1, CannedStatus = 408, CannedBody = "{\"error\":\"Request Timeout\"}", PathContains = "/brokerage-bearer-token" });

        var failure = await Assert.ThrowsAnyAsync<BrokerageException>(() => guard.Gateway.PlaceOrderAsync(user, "DU0000001", [Tickets.Market()]));
        var tokenRequests = simulator.TokenRequestsOf(user);
        simulator.Control.ClearFaults();
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        var again = await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);

        output.WriteLine($"first: {failure.Kind} after {tokenRequests} token request(s) answered 408: {failure.Message}");
        output.WriteLine($"after the fault cleared: {again.Outcome}");
        Assert.Equal(BrokerageFailureKind.NotReady, failure.Kind);
        Assert.True(failure.IsNotTheOrders);
        Assert.DoesNotContain(simulator.IbkrRequestsOf(user), r => r.Path.EndsWith(PlacePath, StringComparison.Ordinal) && r.Status != 200);
        Assert.Equal(PlaceOrderOutcome.Accepted, again.Outcome);
        Assert.Equal(HealthStatus.Healthy, BrokerageHealthStatus(guard));
    }

    [Fact]
    public async Task Should_refuse_only_that_user_when_pitrade_answers_403_for_one_user()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string refused = "not-entitled-user";
        const string other = "entitled-user";
        simulator.Control.SetFaults(new FaultSettings
        {
            CannedRate = 1,
            CannedStatus = 403,
            CannedBody = "{\"error\":\"user is not entitled to brokerage access\"}",
            PathContains = "/brokerage-bearer-token",
            UserId = refused,
        });

        var failure = await Assert.ThrowsAnyAsync<BrokerageException>(() => guard.Gateway.PlaceOrderAsync(refused, "DU0000001", [Tickets.Market()]));
        var account = (await guard.Gateway.GetAccountsAsync(other))[0];
        var others = await guard.Gateway.PlaceOrderAsync(other, account, [Tickets.Market()]);
        var health = BrokerageHealthStatus(guard);

        output.WriteLine($"{refused}: {failure.Kind}: {failure.Message}");
        output.WriteLine($"{other}: {others.Outcome}; readiness: {health}; IBKR requests of {refused}: {simulator.IbkrRequestsOf(refused).Count}");
        Assert.Equal(BrokerageFailureKind.UserNotEntitled, failure.Kind);
        Assert.False(failure.IsSafeToRepeat);
        Assert.Empty(simulator.IbkrRequestsOf(refused));
        Assert.Equal(PlaceOrderOutcome.Accepted, others.Outcome);
        Assert.Equal(HealthStatus.Healthy, health);
        Assert.DoesNotContain(guard.Logs.GetSnapshot(), r => r.Level == LogLevel.Critical);
    }

    [Fact]
    public async Task Should_stop_every_users_submissions_loudly_when_pitrade_refuses_the_partner_and_resume_once_fixed()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator, settings => settings["Brokerage:PiTrade:PartnerProbeInterval"] = "00:00:00.300");
        const string early = "partner-early-user";
        const string late = "partner-late-user";
        var earlyAccount = (await guard.Gateway.GetAccountsAsync(early))[0];
        simulator.Control.SetFaults(new FaultSettings { CannedRate = 1, CannedStatus = 401, CannedBody = "{\"error\":\"invalid_client\"}", PathContains = "/brokerage-bearer-token" });

        var lateFailure = await Assert.ThrowsAnyAsync<BrokerageException>(() => guard.Gateway.PlaceOrderAsync(late, "DU0000001", [Tickets.Market()]));
        var earlyFailure = await Assert.ThrowsAnyAsync<BrokerageException>(() => guard.Gateway.PlaceOrderAsync(early, earlyAccount, [Tickets.Market()]));
        var stoppedHealth = BrokerageHealthStatus(guard);
        var tokenRequestsWhileStopped = simulator.Control.Requests().Count(r => r.Path.EndsWith("/brokerage-bearer-token", StringComparison.Ordinal));
        var placementsWhileStopped = simulator.CountOf(early, "POST", PlacePath);
        simulator.Control.ClearFaults();
        await Task.Delay(400);
        var resumed = await guard.Gateway.PlaceOrderAsync(early, earlyAccount, [Tickets.Market()]);

        output.WriteLine($"{late} (no token yet): {lateFailure.Kind}; {early} (token cached): {earlyFailure.Kind}");
        output.WriteLine($"readiness while stopped: {stoppedHealth}; token requests so far: {tokenRequestsWhileStopped}; after the fix: {resumed.Outcome}, readiness {BrokerageHealthStatus(guard)}");
        Assert.Equal(BrokerageFailureKind.PartnerStopped, lateFailure.Kind);
        Assert.Equal(BrokerageFailureKind.PartnerStopped, earlyFailure.Kind);
        Assert.True(lateFailure.IsNotTheOrders && earlyFailure.IsNotTheOrders);
        Assert.Equal(0, placementsWhileStopped);
        Assert.Equal(HealthStatus.Degraded, stoppedHealth);
        Assert.Contains(guard.Logs.GetSnapshot(), r => r.Level == LogLevel.Critical && r.Message.Contains("partner credentials", StringComparison.Ordinal));
        Assert.Equal(PlaceOrderOutcome.Accepted, resumed.Outcome);
        Assert.Equal(HealthStatus.Healthy, BrokerageHealthStatus(guard));
    }

    [Fact]
    public async Task Should_reinitialise_and_send_once_more_when_a_placement_is_answered_200_no_bridge()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "no-bridge-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.SetFaults(new FaultSettings { CannedRate = 1, CannedMax = 1, CannedStatus = 200, CannedBody = "{\"error\":\"no bridge\"}", PathContains = PlacePath, UserId = user });

        var result = await guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);

        var placements = simulator.IbkrRequestsOf(user).Where(r => r.Method == "POST" && r.Path.EndsWith(PlacePath, StringComparison.Ordinal)).ToList();
        output.WriteLine($"outcome: {result.Outcome}; placements: {placements.Count}; session inits: {simulator.CountOf(user, "POST", "/iserver/auth/ssodh/init")}; orders at IBKR: {simulator.Control.Ledger().Count(l => l.UserId == user)}");
        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        Assert.Equal(2, placements.Count);
        Assert.Equal(2, simulator.CountOf(user, "POST", "/iserver/auth/ssodh/init"));
        Assert.Single(simulator.Control.Ledger(), l => l.UserId == user);
    }

    [Fact]
    public async Task Should_never_read_an_error_answer_of_the_accounts_as_no_accounts()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "accounts-error-user";
        await guard.Gateway.GetAccountsAsync(user);
        simulator.Control.SetFaults(new FaultSettings { CannedRate = 1, CannedStatus = 200, CannedBody = "{\"error\":\"internal error, try again\"}", PathContains = "/iserver/accounts", UserId = user });

        var failure = await Assert.ThrowsAnyAsync<BrokerageException>(() => guard.Gateway.GetAccountsAsync(user));
        simulator.Control.SetFaults(new FaultSettings { CannedRate = 1, CannedMax = 1, CannedStatus = 200, CannedBody = "{\"error\":\"Please query /accounts first\"}", PathContains = "/iserver/account/orders", UserId = user });
        var live = await guard.Gateway.GetLiveOrdersAsync(user);
        var accountReads = simulator.CountOf(user, "GET", "/iserver/accounts");

        output.WriteLine($"accounts answered 200 {{\"error\"}}: {failure.Kind}: {failure.Message}");
        output.WriteLine($"live orders answered \"Please query /accounts first\": warmed up (accounts reads {accountReads}) and read {live.Count} order(s)");
        Assert.Equal(BrokerageFailureKind.TransientBeforeSend, failure.Kind);
        Assert.Contains("internal error", failure.BrokerText, StringComparison.Ordinal);
        // Accounts reads: the set-up's warm-up, GetAccounts, the {"error"} answer, then the warm-up the live orders asked for.
        Assert.Equal(4, accountReads);
        Assert.Empty(live);
    }

    [Fact]
    public async Task Should_call_an_unrecognised_2xx_on_a_placement_ambiguous_never_a_rejection()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "unrecognised-2xx-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        var ticket = Tickets.Market();
        simulator.Control.SetFaults(new FaultSettings
        {
            CannedRate = 1,
            CannedStatus = 202,
            CannedBody = "{\"status\":\"queued\"}",
            CannedAfterProcessing = true,
            PathContains = PlacePath,
            UserId = user,
        });

        var failure = await Assert.ThrowsAsync<AmbiguousOrderOutcomeException>(() => guard.Gateway.PlaceOrderAsync(user, account, [ticket]));
        simulator.Control.ClearFaults();
        var live = await guard.Gateway.GetLiveOrdersAsync(user);

        output.WriteLine($"{failure.Kind}: {failure.Message}; cOIDs to reconcile: {string.Join(',', failure.ClientOrderIds)}; in the live orders: {live.Any(o => o.OrderRef == ticket.ClientOrderId)}");
        Assert.Equal([ticket.ClientOrderId], failure.ClientOrderIds);
        Assert.Contains(live, o => o.OrderRef == ticket.ClientOrderId);
    }

    private static HealthStatus BrokerageHealthStatus(GuardHost guard) =>
        new BrokerageHealthCheck(guard.Sessions).CheckHealthAsync(new HealthCheckContext()).GetAwaiter().GetResult().Status;
}

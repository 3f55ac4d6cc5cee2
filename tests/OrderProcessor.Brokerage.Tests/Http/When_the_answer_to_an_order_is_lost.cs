using OrderProcessor.Brokerage.Failures;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;

namespace OrderProcessor.Brokerage.Tests.Http;

public sealed class When_the_answer_to_an_order_is_lost
{
    [Theory]
    [InlineData("abort")]
    [InlineData("504")]
    public async Task Should_classify_it_ambiguous_and_send_the_order_exactly_once(string lostAs)
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        var user = "lost-answer-user-" + lostAs;
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        var ticket = Tickets.Market();
        simulator.Control.SetFaults(new FaultSettings { AnswerLostRate = 1.0, PathContains = "/orders", UserId = user, AnswerLostAs = lostAs });

        var failure = await Assert.ThrowsAsync<AmbiguousOrderOutcomeException>(() => guard.Gateway.PlaceOrderAsync(user, account, [ticket]));

        Assert.Equal(BrokerageFailureKind.Ambiguous, failure.Kind);
        Assert.Equal([ticket.ClientOrderId], failure.ClientOrderIds);
        Assert.Equal(1, await simulator.RecordedCountOf(user, "POST", "/orders", atLeast: 1));
        Assert.Single(guard.Requests, r => r.Method == "POST" && r.Path.EndsWith("/orders", StringComparison.Ordinal));
        Assert.Single(simulator.Control.Ledger(), l => l.COID == ticket.ClientOrderId);
        guard.AssertNoSecretIn(failure.ToString(), "the ambiguous-outcome exception");
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            Assert.False(e is Refit.ApiExceptionBase, "Refit's exceptions hold the request with its Authorization header");
        }

        // The way out of ambiguity: the order shows up in the live orders under its cOID.
        simulator.Control.ClearFaults();
        Assert.Contains(await guard.Gateway.GetLiveOrdersAsync(user), o => o.OrderRef == ticket.ClientOrderId);
    }

    [Fact]
    public async Task Should_classify_a_server_error_on_placing_ambiguous_without_retrying()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "server-error-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.SetFaults(new FaultSettings { ServerErrorRate = 1.0, PathContains = "/orders", UserId = user });

        var failure = await Assert.ThrowsAsync<AmbiguousOrderOutcomeException>(() => guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]));

        Assert.Equal(1, simulator.CountOf(user, "POST", "/orders"));
        Assert.Null(failure.InnerException);
    }

    [Fact]
    public async Task Should_classify_a_timed_out_order_ambiguous_without_retrying()
    {
        await using var simulator = new SimulatorServer();
        // The attempt timeout also bounds the token and session set-up of the first call, which a machine busy with the
        // other test classes can stretch: it is short, but not so short that the set-up times out instead.
        await using var guard = await GuardHost.StartAsync(simulator, s => s["Brokerage:Timeouts:Attempt"] = "00:00:01.500");
        const string user = "slow-user";
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        simulator.Control.SetFaults(new FaultSettings { LatencyMs = 5000, PathContains = "/orders", UserId = user });

        var failure = await Assert.ThrowsAsync<AmbiguousOrderOutcomeException>(() => guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]));

        Assert.IsType<TimeoutException>(failure.InnerException);
        Assert.Single(guard.Requests, r => r.Method == "POST" && r.Path.EndsWith("/orders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Should_retry_a_read_that_failed_with_a_server_error()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "flaky-read-user";
        await guard.Gateway.GetAccountsAsync(user);
        simulator.Control.SetFaults(new FaultSettings { ServerErrorRate = 0.5, PathContains = "/iserver/accounts", UserId = user, Seed = 7 });

        for (var i = 0; i < 5; i++)
        {
            Assert.NotEmpty(await guard.Gateway.GetAccountsAsync(user));
        }

        Assert.Contains(simulator.IbkrRequestsOf(user), r => r.Status == 503);
    }
}

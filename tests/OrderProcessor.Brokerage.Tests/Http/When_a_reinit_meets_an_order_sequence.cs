using Microsoft.Extensions.DependencyInjection;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Brokerage.Sessions;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using OrderProcessor.Simulator.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Http;

/// <summary>
/// IBKR drops a pending question as soon as any other request of the user comes in between. A re-init started by a
/// tickle or a poll (a flow that does not hold the user's gate) must wait for a place → reply sequence to finish.
/// </summary>
public sealed class When_a_reinit_meets_an_order_sequence(ITestOutputHelper output)
{
    private const string Init = "/iserver/auth/ssodh/init";

    [Fact]
    public async Task Should_wait_for_the_reply_before_reinitialising()
    {
        await using var simulator = new SimulatorServer();
        await using var guard = await GuardHost.StartAsync(simulator);
        const string user = "reinit-during-reply-user";
        // The first suppression is answered without being done, so that this session asks the allow-listed o354.
        simulator.Control.SetFaults(new FaultSettings
        {
            CannedRate = 1,
            CannedMax = 1,
            CannedStatus = 200,
            CannedBody = "{\"status\":\"submitted\"}",
            PathContains = "/questions/suppress",
            UserId = user,
        });
        var account = (await guard.Gateway.GetAccountsAsync(user))[0];
        var sessions = guard.Services.GetRequiredService<BrokerageSessionManager>();
        simulator.Control.SetExtraQuestions([new Question("o354", "You are submitting an order without market data. Are you sure?")], user);
        simulator.Control.SetFaults(new FaultSettings { LatencyMs = 600, PathContains = "/iserver/reply", UserId = user });

        var placing = guard.Gateway.PlaceOrderAsync(user, account, [Tickets.Market()]);
        await WaitUntilAsync(() => simulator.CountOf(user, "POST", "/orders") >= 1);

        // What the tickle loop does when a keep-alive says the session is gone: it holds no gate of the user.
        var epoch = sessions.EpochOf(user);
        var reinit = Task.Run(() => sessions.RecoverAsync(user, epoch, CancellationToken.None));
        var result = await placing;
        await reinit;

        var sequence = simulator.IbkrRequestsOf(user).Select(r => $"{r.Method} {r.Path.Replace("/v1/api", string.Empty, StringComparison.Ordinal)} {r.Status}").ToList();
        output.WriteLine($"outcome: {result.Outcome}; inits: {simulator.CountOf(user, "POST", Init)}");
        output.WriteLine(string.Join(Environment.NewLine, sequence));
        Assert.Equal(PlaceOrderOutcome.Accepted, result.Outcome);
        Assert.Equal(2, simulator.CountOf(user, "POST", Init));
        var reply = sequence.FindIndex(s => s.Contains("/iserver/reply", StringComparison.Ordinal));
        Assert.True(reply >= 0, "the placement asked a question and the guard replied");
        var secondInit = sequence.FindLastIndex(s => s.Contains(Init, StringComparison.Ordinal));
        Assert.True(reply < secondInit, "the re-init came after the reply");
        Assert.Equal(BrokerageSessionState.Ready, guard.Sessions.GetSession(user)!.State);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !condition() && waited.Elapsed < TimeSpan.FromSeconds(5);)
        {
            await Task.Delay(5);
        }

        Assert.True(condition());
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Resilience;

/// <summary>
/// 500 orders for five users while IBKR's trading calls fail at random, sessions are dropped and another platform takes
/// a user's session. Fills that ended in a session that is gone are recovered from the trades.
/// </summary>
public sealed class When_a_burst_meets_ibkr_faults(When_a_burst_meets_ibkr_faults.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_burst_meets_ibkr_faults.Fixture>
{
    /// <summary>Takes a session back from another platform (compete), short leases so lost answers settle quickly.</summary>
    public sealed class Fixture : ProcessorFixture
    {
        // The injected 429 bursts stand for 429s IBKR answers one user at a time; the simulator would count them against
        // the egress IP and box it for 10 minutes (what IBKR does to an IP that keeps exceeding its limit: tested in the
        // guard's penalty-box test), which is not this test's scenario.
        protected override Dictionary<string, string?> SimulatorSettings => new() { ["Simulator:PenaltyBoxAfter429s"] = "0" };

        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Brokerage:Ibkr:Compete"] = "true",
            ["Lifecycle:WorkLease"] = "00:00:05",
            ["Brokerage:Timeouts:Attempt"] = "00:00:02",
            ["Brokerage:Timeouts:Total"] = "00:00:02",
            ["Lifecycle:MaxSubmitAttempts"] = "20",

            // The guard backs a user off after a 429 (1 s, doubling to 60 s in production); scaled down with the burst.
            ["Brokerage:Pacing:BackoffAfterTooManyRequests"] = "00:00:00.250",
            ["Brokerage:Pacing:MaxBackoff"] = "00:00:02",
        };
    }

    private static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin"];

    [Fact]
    public async Task Should_lose_and_duplicate_nothing_through_5xx_lost_answers_429s_session_drops_and_a_competing_session()
    {
        var control = fixture.Simulator.Control;
        control.PinPrice(9101, 100m);
        var orders = Enumerable.Range(0, 500).Select(i =>
        {
            var user = Users[i % Users.Length];
            var order = TestOrders.Market(userId: user, quantity: 1 + (i % 7)) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = 9101 };
            return i % 3 == 0 ? order with { OrderType = OrderType.Limit, LimitPrice = 100.5m, Side = OrderSide.Buy } : order;
        }).ToList();

        // Every trading call (placing, replies, live orders, cancel, status) may fail: 10 % 5xx, 5 % processed with the
        // answer lost, 2 % 429, and every 4 s a burst of half a second in which every trading call is answered 429;
        // sessions drop every 2 s (the "every 30 s", scaled to this burst's length) and another platform takes
        // one user's session once.
        var steady = new FaultSettings { ServerErrorRate = 0.10, AnswerLostRate = 0.05, TooManyRequestsRate = 0.02, PathContains = "/iserver/account/", Seed = 7 };
        control.SetFaults(steady);
        using var stopDisruptions = new CancellationTokenSource();
        var drops = 0;
        var tooManyBursts = 0;
        var bursts = Task.Run(async () =>
        {
            while (!stopDisruptions.IsCancellationRequested)
            {
                await Task.Delay(4000, stopDisruptions.Token);
                control.SetFaults(steady with { TooManyRequestsRate = 1, Seed = 100 + tooManyBursts++ });
                await Task.Delay(500, stopDisruptions.Token);
                control.SetFaults(steady with { Seed = 200 + tooManyBursts });
            }
        }, stopDisruptions.Token);
        var disruptions = Task.Run(async () =>
        {
            await Task.Delay(1500, stopDisruptions.Token);
            control.Compete("bob");
            while (!stopDisruptions.IsCancellationRequested)
            {
                await Task.Delay(2000, stopDisruptions.Token);
                control.DropSession(Users[drops++ % Users.Length]);
            }
        }, stopDisruptions.Token);

        foreach (var batch in orders.Chunk(50))
        {
            await Task.WhenAll(batch.Select(o => fixture.Downstream.Publisher.Publish(o)));
            await Task.Delay(300);
        }

        // The faults last until every order has reached IBKR (the guard backs off after each 429 burst), so that every
        // placement meets them.
        var faultsUntil = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (control.Stats().OrdersAccepted < orders.Count && DateTime.UtcNow < faultsUntil)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(3));
        await stopDisruptions.CancelAsync();
        await disruptions.ContinueWith(_ => { }, TaskScheduler.Default);
        await bursts.ContinueWith(_ => { }, TaskScheduler.Default);
        control.ClearFaults();
        var stats = control.Stats();

        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(90));
        }

        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(1000);
        var outcome = await BurstOutcome.MeasureAsync(fixture, orders.Select(o => o.OrderId).ToList());
        var answersLost = control.Requests().Count(r => r.AnswerLost);
        var serverErrors = control.Requests().Count(r => r.Status >= 500);
        var trading = control.Requests().Count(r => r.Path.Contains("/iserver/account/", StringComparison.Ordinal));
        output.WriteLine($"{outcome}; {trading} trading calls, faults: 5xx {serverErrors}, answers lost {answersLost}, 429s {stats.TooManyRequests} ({tooManyBursts} bursts), session drops {drops}, competing 1");

        Assert.Equal((500, 500, 0, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents, outcome.OutboxRows - outcome.EventsSeenAfterDedup));
        Assert.True(answersLost > 0 && serverErrors > 0 && stats.TooManyRequests > 0 && tooManyBursts > 0 && drops > 0, "the faults did not happen");
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
    }
}

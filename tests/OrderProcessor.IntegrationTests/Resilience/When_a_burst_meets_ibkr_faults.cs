using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Faults;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Resilience;

/// <summary>
/// 500 orders for five users while IBKR's trading calls fail at random. Session drops and a competing session are covered
/// by When_the_brokerage_session_drops: IBKR lists only orders that ended since the previous session ended, so a fill
/// that happens just before two session changes in a row cannot be seen in the live orders at all (recovering it needs
/// IBKR's trades endpoint, which neither the simulator nor the guard have yet).
/// </summary>
public sealed class When_a_burst_meets_ibkr_faults(When_a_burst_meets_ibkr_faults.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_burst_meets_ibkr_faults.Fixture>
{
    /// <summary>Takes a session back from another platform (compete), short leases so lost answers settle quickly.</summary>
    public sealed class Fixture : ProcessorFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new()
        {
            ["Brokerage:Ibkr:Compete"] = "true",
            ["Lifecycle:WorkLease"] = "00:00:05",
            ["Lifecycle:MaxSubmitAttempts"] = "20",
        };
    }

    private static readonly string[] Users = ["alice", "bob", "carol", "dave", "erin"];

    [Fact]
    public async Task Should_lose_and_duplicate_nothing_through_5xx_lost_answers_and_429s()
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
        // answer lost, 2 % 429. Session calls are spared here: see the note in the class summary.
        control.SetFaults(new FaultSettings { ServerErrorRate = 0.10, AnswerLostRate = 0.05, TooManyRequestsRate = 0.02, PathContains = "/iserver/account/", Seed = 7 });

        foreach (var batch in orders.Chunk(50))
        {
            await Task.WhenAll(batch.Select(o => fixture.Downstream.Publisher.Publish(o)));
            await Task.Delay(300);
        }

        await Task.Delay(TimeSpan.FromSeconds(6));
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
        output.WriteLine($"{outcome}; faults: 5xx {serverErrors}, answers lost {answersLost}, 429s {stats.TooManyRequests}");

        Assert.Equal((500, 500, 0, 0, 0, 0, 0, 0), (outcome.Orders, outcome.Final, outcome.Lost, outcome.Duplicated, outcome.Unpublished,
            outcome.SequenceGaps, outcome.MissingEvents, outcome.OutboxRows - outcome.EventsSeenAfterDedup));
        Assert.True(answersLost > 0 && serverErrors > 0 && stats.TooManyRequests > 0, "the faults did not happen");
        await fixture.AssertLedgerMatchesSagasAsync(orders.Select(o => o.OrderId));
    }
}

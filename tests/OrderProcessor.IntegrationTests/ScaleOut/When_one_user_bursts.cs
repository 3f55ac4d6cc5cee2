using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.ScaleOut;

/// <summary>
/// Fair claims on the real servers: one user's burst of 1,000 orders holds only its share of the worker's slots
/// (<c>Lifecycle:MaxConcurrentWorkPerUser</c>), so another user's order is sent at once, and the bursting user's own
/// cancel is claimed before its remaining placements.
/// </summary>
public sealed class When_one_user_bursts(When_one_user_bursts.Fixture fixture, ITestOutputHelper output) : IClassFixture<When_one_user_bursts.Fixture>
{
    private const int Burst = 1_000;
    private const int Share = 8;
    private const int BurstConid = 4101;

    /// <summary>A manual market (limit orders below the price stay working) and the default share of 8 slots per user.</summary>
    public sealed class Fixture : ManualMarketFixture
    {
        protected override Dictionary<string, string?> ProcessorSettings => new() { ["Lifecycle:MaxConcurrentWorkPerUser"] = Share.ToString(System.Globalization.CultureInfo.InvariantCulture) };

        /// <summary>
        /// IBKR refuses a 21st working order per account, conid and side; this test measures claim fairness with 1,000
        /// resting orders of one account and contract, so the simulator's limit is off here (0).
        /// </summary>
        protected override Dictionary<string, string?> SimulatorSettings => new(base.SimulatorSettings) { ["Simulator:MaxWorkingOrdersPerContractSide"] = "0" };
    }

    [Fact]
    public async Task Should_send_another_users_order_at_once_and_the_bursting_users_cancel_before_its_remaining_placements()
    {
        fixture.Simulator.Control.PinPrice(BurstConid, 120m);
        var toCancel = TestOrders.Limit(limitPrice: 100m) with { Conid = BurstConid };
        await fixture.Downstream.Publisher.Publish(toCancel);
        await fixture.WaitForStatusAsync(toCancel.OrderId, OrderStatus.Working);

        // Alice's burst: every order accepted before anything is measured (the worker's fairness is measured, not the
        // command queue's order).
        var burst = Enumerable.Range(0, Burst).Select(_ => TestOrders.Limit(limitPrice: 100m) with { Conid = BurstConid }).ToList();
        var published = Stopwatch.StartNew();
        await Task.WhenAll(burst.Select(o => fixture.Downstream.Publisher.Publish(o)));
        var ids = burst.Select(o => o.OrderId).ToList();
        await WaitUntilAsync(async () =>
        {
            await using var db = fixture.Db();
            return await db.Orders.CountAsync(o => ids.Contains(o.OrderId)) == Burst;
        }, TimeSpan.FromSeconds(120), "alice's burst to be accepted");
        var placedAtAcceptance = AlicePlacements().Count;
        output.WriteLine($"alice's {Burst} orders accepted in {published.Elapsed.TotalSeconds:0.0} s; {placedAtAcceptance} of them sent to IBKR so far");
        Assert.True(placedAtAcceptance < Burst - 100, $"the burst was nearly all sent ({placedAtAcceptance}) before it could be measured");

        // Bob's order while alice's burst is under way.
        var bobs = TestOrders.Limit(userId: "bob", limitPrice: 100m) with { AccountId = SimulatorUnderTest.Accounts["bob"], Conid = BurstConid };
        var bobTook = Stopwatch.StartNew();
        await fixture.Downstream.Publisher.Publish(bobs);
        await WaitUntilAsync(async () =>
        {
            await using var db = fixture.Db();
            return await db.Orders.AnyAsync(o => o.OrderId == bobs.OrderId && o.BrokerOrderId != null);
        }, TimeSpan.FromSeconds(60), "bob's order to be submitted");
        bobTook.Stop();

        // Alice cancels her working order while her placements keep going.
        var sentBeforeCancel = AlicePlacements().Count;
        var cancelWatch = Stopwatch.StartNew();
        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = toCancel.OrderId, UserId = "alice", Reason = "burst test" });
        await WaitUntilAsync(async () =>
        {
            await using var db = fixture.Db();
            return await db.Orders.AnyAsync(o => o.OrderId == toCancel.OrderId && o.Status == OrderStatus.PendingCancel);
        }, TimeSpan.FromSeconds(60), "alice's cancel to be accepted");
        var acceptedAfter = cancelWatch.Elapsed;
        await WaitUntilAsync(async () =>
        {
            await using var db = fixture.Db();
            return await db.Orders.AnyAsync(o => o.OrderId == toCancel.OrderId && o.ClaimToken != null);
        }, TimeSpan.FromSeconds(60), "alice's cancel to be claimed");
        var claimedAfter = cancelWatch.Elapsed;
        var claimedAt = fixture.Simulator.Control.Now;
        output.WriteLine($"alice's CancelOrder accepted after {acceptedAfter.TotalMilliseconds:0} ms, its cancel claimed after {claimedAfter.TotalMilliseconds:0} ms");
        await WaitUntilAsync(() => Task.FromResult(fixture.Simulator.Control.Requests().Any(r => r.Method == "DELETE" && r.UserId == "alice")),
            TimeSpan.FromSeconds(60), "alice's cancel to reach IBKR");
        var cancelAt = fixture.Simulator.Control.Requests().First(r => r.Method == "DELETE" && r.UserId == "alice").At;
        var placements = AlicePlacements();
        var ahead = placements.Count(p => p <= cancelAt) - sentBeforeCancel;
        var afterClaim = placements.Count(p => p > claimedAt && p <= cancelAt);
        var remaining = Burst + 1 - placements.Count(p => p <= cancelAt);

        output.WriteLine($"bob's order reached Submitted {bobTook.Elapsed.TotalMilliseconds:0} ms after it was published, while alice had {Burst + 1 - sentBeforeCancel} placements still to send");
        output.WriteLine($"alice's cancel was sent after {ahead} more of her placements since her CancelOrder, {afterClaim} of them after the cancel was claimed " +
            $"(claimed before it, share {Share}), with {remaining} of her placements still to send");

        Assert.True(bobTook.Elapsed < TimeSpan.FromSeconds(2), $"bob's order took {bobTook.Elapsed.TotalMilliseconds:0} ms to be submitted");
        // The claim puts the cancel ahead of every placement not yet claimed, and no placement of alice is claimed while it
        // is under way (in the guard a cancel waiting for its pacing slot would otherwise lose it to later placements: 46-65
        // of them went first before that rule). After its claim only those already claimed (her share) go first; before
        // it, those sent while the CancelOrder was on its way (a few per second of that). An unfair claim puts all ~880
        // remaining ones ahead of it.
        Assert.True(claimedAfter < TimeSpan.FromSeconds(2), $"alice's cancel was claimed {claimedAfter.TotalMilliseconds:0} ms after her CancelOrder");
        Assert.True(afterClaim <= Share + 1, $"{afterClaim} of alice's placements were sent between her cancel's claim and its request");
        Assert.True(ahead < 50, $"{ahead} of alice's placements were sent between her CancelOrder and its cancel request");
        Assert.True(remaining > 100, $"only {remaining} of alice's placements were left when her cancel was sent");
    }

    private List<DateTimeOffset> AlicePlacements() =>
        [.. fixture.Simulator.Control.Requests()
            .Where(r => r.Method == "POST" && r.UserId == "alice" && r.Path.EndsWith("/orders", StringComparison.Ordinal))
            .Select(r => r.At)];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}");
            }

            await Task.Delay(20);
        }
    }
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Simulator.Engine;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// Orders working at IBKR when a 30 s scheduled window begins (IBKR's back-end down inside it, its brokerage sessions
/// ended) end at the exchange during it: filled in full, filled in part, cancelled by the exchange, cancelled by the
/// user (the cancel waits for the window's end), filled while the user's cancel waits. After the window each ends in
/// the right state with its fills counted once, none <c>NeedsAttention</c>; the one nothing happened to still works.
/// The exception is the order the exchange cancelled without a fill: after the window IBKR has no trace of that end (not
/// listed in the new session, no trade), so it is <c>NeedsAttention</c> with "0 of 3 filled", never guessed Cancelled.
/// </summary>
public abstract class OrdersEndingDuringAWindow<TFixture>(TFixture fixture, ITestOutputHelper output)
    where TFixture : OrdersEndingDuringAWindow<TFixture>.WindowFixtureBase
{
    private const int Conid = 9731;
    private const decimal Market = 50m;
    private const decimal Limit = 40m;

    public abstract class WindowFixtureBase() : WindowSoonFixture(TimeSpan.FromSeconds(30));

    private sealed record Case(string Name, PlaceOrder Order, OrderStatus Expected, decimal ExpectedFilled);

    [Fact]
    public async Task Should_settle_each_with_its_fills_once_after_the_window_and_only_the_traceless_exchange_cancel_needs_attention()
    {
        fixture.Simulator.Control.PinPrice(Conid, Market);
        PlaceOrder Resting(string user, decimal quantity) =>
            TestOrders.Limit(user, quantity, Limit) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = Conid };
        var cases = new[]
        {
            new Case("filled", Resting("alice", 4), OrderStatus.Filled, 4),
            new Case("filled in part", Resting("alice", 6), OrderStatus.PartiallyFilled, 2),
            // IBKR gives no evidence of this end: the new session does not list the order, its status answers 503 and no
            // trade or stream frame tells of a cancel. Settling it Cancelled on absence alone could call a working order
            // cancelled; it goes to NeedsAttention with what the trades show (README, "Every order IBKR works is followed").
            new Case("cancelled by the exchange", Resting("alice", 3), OrderStatus.NeedsAttention, 0),
            new Case("cancelled by the user", Resting("alice", 3), OrderStatus.Cancelled, 0),
            new Case("filled while the user's cancel waits", Resting("alice", 2), OrderStatus.Filled, 2),
            new Case("untouched", Resting("alice", 2), OrderStatus.Working, 0),
            new Case("bob's, filled", Resting("bob", 5), OrderStatus.Filled, 5),
        };
        foreach (var c in cases)
            await fixture.Downstream.Publisher.Publish(c.Order);
        var coids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in cases)
            coids[c.Name] = (await fixture.WaitForStatusAsync(c.Order.OrderId, OrderStatus.Working, TimeSpan.FromSeconds(30))).ClientOrderId;
        var ids = cases.Select(c => c.Order.OrderId).ToList();

        using var stop = new CancellationTokenSource();
        var everSeen = new Dictionary<Guid, HashSet<OrderStatus>>();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var db = fixture.Db();
                foreach (var row in await db.Orders.Where(o => ids.Contains(o.OrderId)).Select(o => new { o.OrderId, o.Status }).ToListAsync())
                {
                    lock (everSeen)
                    {
                        (everSeen.TryGetValue(row.OrderId, out var seen) ? seen : everSeen[row.OrderId] = []).Add(row.Status);
                    }
                }

                await Task.Delay(200);
            }
        });
        await fixture.WaitForWindowStartAsync();
        // IBKR's outage ends 0.5 s before the guard's schedule does (the guard would rightly hold the orders again after it).
        var down = fixture.StartOutageUntil(fixture.WindowEnd - TimeSpan.FromSeconds(0.5));
        await Task.Delay(TimeSpan.FromSeconds(3));

        // The exchange keeps working while IBKR's back-end is down.
        var fates = new Dictionary<string, FateOutcome>(StringComparer.Ordinal)
        {
            ["filled"] = fixture.Simulator.Control.Fill(coids["filled"], price: Limit),
            ["filled in part"] = fixture.Simulator.Control.Fill(coids["filled in part"], 2, Limit),
            ["cancelled by the exchange"] = fixture.Simulator.Control.CancelAtExchange(coids["cancelled by the exchange"]),
            ["filled while the user's cancel waits"] = fixture.Simulator.Control.Fill(coids["filled while the user's cancel waits"], price: Limit),
            ["bob's, filled"] = fixture.Simulator.Control.Fill(coids["bob's, filled"], price: Limit),
        };
        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = cases[3].Order.OrderId, UserId = "alice" });
        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = cases[4].Order.OrderId, UserId = "alice" });
        await Task.Delay(TimeSpan.FromSeconds(3));
        Dictionary<Guid, OrderStatus> inWindow;
        await using (var db = fixture.Db())
        {
            inWindow = await db.Orders.Where(o => ids.Contains(o.OrderId)).ToDictionaryAsync(o => o.OrderId, o => o.Status);
        }

        var settled = new Dictionary<string, TimeSpan?>(StringComparer.Ordinal);
        foreach (var c in cases)
        {
            try
            {
                await fixture.WaitForStatusAsync(c.Order.OrderId, c.Expected, fixture.WindowEnd - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(45));
                settled[c.Name] = DateTimeOffset.UtcNow - fixture.WindowEnd;
            }
            catch (TimeoutException)
            {
                // Reported with every other case below.
                settled[c.Name] = null;
            }
        }

        // The post-window reconciliation goes on: nothing may change any more.
        await Task.Delay(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await sampler;
        await fixture.WaitForOutboxPublishedAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var ledger = fixture.Simulator.Control.Ledger().Where(l => l.COID is not null).ToDictionary(l => l.COID!, StringComparer.Ordinal);
        Dictionary<Guid, Orders.OrderSaga> sagas;
        await using (var db = fixture.Db())
        {
            sagas = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToDictionaryAsync(o => o.OrderId);
        }

        output.WriteLine($"window {fixture.WindowStart:HH:mm:ss.fff}-{fixture.WindowEnd:HH:mm:ss.fff}Z, IBKR down until {down.Until:HH:mm:ss.fff}; exchange actions 3 s in: {string.Join(", ", fates.Select(f => $"{f.Key}={f.Value}"))}");
        var stream = fixture.Simulator.Control.Stream();
        output.WriteLine($"websocket: {stream.Connects} connects, {stream.RefusedUpgrades} upgrades refused, frames {string.Join(", ", stream.FramesByTopic.Where(f => f.Value > 0).Select(f => $"{f.Key}={f.Value}"))}");
        foreach (var c in cases)
        {
            var saga = sagas[c.Order.OrderId];
            var events = fixture.Downstream.For(c.Order.OrderId).Select(e => e.Event).ToList();
            output.WriteLine($"{c.Name}: in the window {inWindow[c.Order.OrderId]}; after it {saga.Status} {saga.FilledQuantity}/{saga.Quantity} (IBKR {ledger[coids[c.Name]].Status} {ledger[coids[c.Name]].FilledQuantity}), settled {settled[c.Name]?.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) ?? "never"} s after the window's end; reason {saga.LastReason}; fill events {events.Count(e => e is OrderFilled or OrderPartiallyFilled)}, seen {string.Join(">", everSeen[c.Order.OrderId])}");
        }

        Assert.All(fates.Values, f => Assert.Equal(FateOutcome.Done, f));
        foreach (var c in cases)
        {
            var saga = sagas[c.Order.OrderId];
            var events = fixture.Downstream.For(c.Order.OrderId).Select(e => e.Event).ToList();
            Assert.Equal((c.Name, c.Expected, c.ExpectedFilled), (c.Name, saga.Status, saga.FilledQuantity));
            Assert.Equal((c.Name, ledger[coids[c.Name]].FilledQuantity), (c.Name, saga.FilledQuantity));
            if (c.Expected != OrderStatus.NeedsAttention)
                Assert.DoesNotContain(OrderStatus.NeedsAttention, everSeen[c.Order.OrderId]);
            Assert.True(events.OfType<OrderFilled>().Count() == (c.Expected == OrderStatus.Filled ? 1 : 0), $"{c.Name}: {events.OfType<OrderFilled>().Count()} OrderFilled");
            Assert.True(events.OfType<OrderPartiallyFilled>().Select(p => p.FilledQuantity).Distinct().Count() == events.OfType<OrderPartiallyFilled>().Count(),
                $"{c.Name}: a partial fill reported twice");
            Assert.True(events.OfType<OrderCancelled>().Count() == (c.Expected == OrderStatus.Cancelled ? 1 : 0), $"{c.Name}: {events.OfType<OrderCancelled>().Count()} OrderCancelled");
        }

        Assert.Equal("Cancelled", ledger[coids["cancelled by the user"]].Status);
        Assert.Contains("0 of 3 filled", sagas[cases[2].Order.OrderId].LastReason, StringComparison.Ordinal);
        Assert.Equal("Submitted", ledger[coids["untouched"]].Status);
    }
}

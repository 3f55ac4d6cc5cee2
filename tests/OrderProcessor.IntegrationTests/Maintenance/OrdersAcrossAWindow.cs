using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// The issue's "Done when": 200 orders of four users (market, marketable limit, resting limit) published at about 10/s
/// from 3 s before a 60 s window of IBKR's back-end to 4 s after it. None fails or is lost, no cOID is placed twice,
/// IBKR accepts nothing during the window, each user's held orders reach IBKR in their arrival order, every hold has its
/// <c>OrderHeld</c>, and the refused requests during the window stay bounded by the probes (no retry storm). The window
/// is either scheduled (the guard knows it) or an unscheduled outage (the guard must detect it).
/// </summary>
public abstract class OrdersAcrossAWindow<TFixture>(TFixture fixture, ITestOutputHelper output)
    where TFixture : WindowFixture
{
    private static readonly string[] Users = ["alice", "bob", "carol", "dave"];
    private const int Conid = 9711;
    private const decimal Price = 50m;

    // Published relative to the window's start: 30 in the 3 s before it, 140 in its first 14 s, 30 right after it.
    private static readonly TimeSpan[] PublishAt =
    [
        .. Enumerable.Range(0, 30).Select(i => TimeSpan.FromSeconds(-3 + (i * 0.1))),
        .. Enumerable.Range(0, 140).Select(i => TimeSpan.FromSeconds(0.5 + (i * 0.1))),
        .. Enumerable.Range(0, 30).Select(i => WindowFixture.WindowLength + TimeSpan.FromSeconds(1 + (i * 0.1))),
    ];

    private enum Kind
    {
        Market,
        MarketableLimit,
        RestingLimit,
    }

    [Fact]
    public async Task Should_fail_none_lose_none_send_none_during_it_and_release_each_users_holds_in_arrival_order()
    {
        fixture.Simulator.Control.PinPrice(Conid, Price);
        // Every user has a session and an order at IBKR before the window (the window is what holds them).
        var warmUp = Users.Select(u => TestOrders.Market(u, 1) with { AccountId = SimulatorUnderTest.Accounts[u], Conid = Conid }).ToList();
        foreach (var order in warmUp)
            await fixture.Downstream.Publisher.Publish(order);
        foreach (var order in warmUp)
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));

        var windowStart = fixture.IsScheduled ? fixture.ScheduledStart : DateTimeOffset.UtcNow + TimeSpan.FromSeconds(4);
        var windowEnd = windowStart + WindowFixture.WindowLength;
        var untilFirst = windowStart + PublishAt[0] - DateTimeOffset.UtcNow;
        Assert.True(untilFirst > TimeSpan.Zero, $"the processor took too long to start: publishing should have begun {-untilFirst.TotalSeconds:0.0} s ago");

        var orders = PublishAt.Select((_, i) => Order(i)).ToList();
        var kinds = orders.Select((o, i) => (o.OrderId, Kind: KindOf(i))).ToDictionary(x => x.OrderId, x => x.Kind);
        var ids = orders.Select(o => o.OrderId).ToList();

        // IBKR's back-end goes down for the window: inside the scheduled one (it ends 0.5 s before the guard's schedule
        // does, on the clock: a start this test makes late on a loaded machine must not carry IBKR's outage past the
        // schedule, where the guard rightly detects it and holds with IbkrUnavailable), or unannounced.
        using var stop = new CancellationTokenSource();
        var simulatorWindow = Task.Run(async () =>
        {
            await Task.Delay(Max(windowStart - DateTimeOffset.UtcNow, TimeSpan.Zero), stop.Token);
            var length = fixture.IsScheduled ? windowEnd - TimeSpan.FromSeconds(0.5) - DateTimeOffset.UtcNow : WindowFixture.WindowLength;
            Assert.True(length > TimeSpan.FromSeconds(30), $"the test reached the window {(WindowFixture.WindowLength - length).TotalSeconds:0.0} s late");
            var report = fixture.Simulator.Control.StartMaintenance(length);
            return (Start: DateTimeOffset.UtcNow, Until: report.Until!.Value);
        });
        var seenHeld = new HashSet<Guid>();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using var db = fixture.Db();
                foreach (var id in await db.Orders.Where(o => ids.Contains(o.OrderId) && o.Status == OrderStatus.Held).Select(o => o.OrderId).ToListAsync())
                    seenHeld.Add(id);
                await Task.Delay(200);
            }
        });

        for (var i = 0; i < orders.Count; i++)
        {
            var wait = windowStart + PublishAt[i] - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait);
            await fixture.Downstream.Publisher.Publish(orders[i]);
        }

        var (simStart, simUntil) = await simulatorWindow;
        var finalStates = new Dictionary<Guid, OrderStatus>();
        foreach (var order in orders)
        {
            var expected = kinds[order.OrderId] == Kind.RestingLimit ? OrderStatus.Working : OrderStatus.Filled;
            var saga = await fixture.WaitForStatusAsync(order.OrderId, expected, windowEnd - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60));
            finalStates[order.OrderId] = saga.Status;
        }

        var settledAfter = DateTimeOffset.UtcNow - windowEnd;
        await stop.CancelAsync();
        await sampler;
        await fixture.WaitForOutboxPublishedAsync(TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2));

        List<OrderRow> sagas;
        await using (var db = fixture.Db())
        {
            sagas = (await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToListAsync())
                .Select(o => new OrderRow(o.OrderId, o.ClientOrderId, o.UserId!, o.CreatedAt, o.Status, o.FilledQuantity, o.Quantity ?? 0)).ToList();
        }

        var ledger = fixture.Simulator.Control.Ledger();
        var byCoid = ledger.Where(l => l.COID is not null).GroupBy(l => l.COID!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var held = fixture.Downstream.Received.Select(r => r.Event).OfType<OrderHeld>().Where(h => ids.Contains(h.OrderId)).ToList();
        var heldIds = held.Select(h => h.OrderId).ToHashSet();
        var acceptedDuring = ledger.Where(l => l.AcceptedAt >= simStart && l.AcceptedAt < simUntil).ToList();
        var requests = fixture.Simulator.Control.Requests();
        var refused = requests.Where(r => r.Maintenance && r.Path.Contains("/iserver", StringComparison.Ordinal) && Users.Contains(r.UserId)).ToList();
        var changesDuring = requests.Where(r => r.At >= simStart && r.At < simUntil && r.Status is >= 200 and < 300 && !r.Maintenance
            && r.Method is "POST" or "DELETE" && r.Path.Contains("/iserver/account", StringComparison.Ordinal)).ToList();
        // A read the guard let go just before the scheduled start may reach IBKR a few ms into the window: the first second
        // is allowed reads (GET), nothing else.
        var usersRequestsInScheduledWindow = requests.Where(r => r.At >= windowStart && r.At < windowEnd && Users.Contains(r.UserId)
            && r.Path.StartsWith("/v1/api", StringComparison.Ordinal)).ToList();
        var readsInFirstSecond = usersRequestsInScheduledWindow.Where(r => r.Method == "GET" && r.At < windowStart + TimeSpan.FromSeconds(1)).ToList();

        // Arrival order = the processor's created_at of the order (one instance: one clock, one consumer); IBKR's order
        // = the ledger's acceptance time, then IBKR's order id. Compared per user over the orders that were held.
        var outOfOrder = new List<string>();
        foreach (var user in Users)
        {
            var userHeld = sagas.Where(s => s.UserId == user && heldIds.Contains(s.OrderId)).ToList();
            var byArrival = userHeld.OrderBy(s => s.CreatedAt).Select(s => s.ClientOrderId).ToList();
            var byAcceptance = userHeld.Select(s => byCoid[s.ClientOrderId][0]).OrderBy(l => l.AcceptedAt).ThenBy(l => l.OrderId).Select(l => l.COID!).ToList();
            output.WriteLine($"{user}: {userHeld.Count} held orders; accepted at IBKR in arrival order: {byArrival.SequenceEqual(byAcceptance, StringComparer.Ordinal)}");
            if (!byArrival.SequenceEqual(byAcceptance, StringComparer.Ordinal))
                outOfOrder.Add($"{user}: first difference at #{byArrival.Zip(byAcceptance).TakeWhile(p => p.First == p.Second).Count()}");
        }

        var arrivedInWindow = sagas.Where(s => s.CreatedAt >= simStart + TimeSpan.FromSeconds(fixture.IsScheduled ? 0 : 5) && s.CreatedAt < simUntil).ToList();
        var heldPerOrder = held.GroupBy(h => h.OrderId).ToDictionary(g => g.Key, g => g.Count());
        var expectedCause = fixture.IsScheduled ? HoldCause.ScheduledMaintenance : HoldCause.IbkrUnavailable;
        // No retry storm: while IBKR is down the guard asks it only auth/status, at most once per ProbeInterval per user
        // (+2: the first probe on the first 503, and one in flight at the end); after a user's first hold nothing else
        // of that user is refused, but for requests already under way then (2 s).
        var probeBound = Users.Length * ((int)Math.Ceiling(WindowFixture.WindowLength / WindowFixture.ProbeInterval) + 2);
        var inFlight = TimeSpan.FromSeconds(2);

        output.WriteLine($"{(fixture.IsScheduled ? "scheduled window" : "unscheduled outage")}: simulator down {simStart:HH:mm:ss.fff}-{simUntil:HH:mm:ss.fff}Z, {orders.Count} orders published {PublishAt[0].TotalSeconds:0.0} s to {PublishAt[^1].TotalSeconds:0.0} s from its start, {arrivedInWindow.Count} arrived while it was down{(fixture.IsScheduled ? "" : " (5 s after it went down: detection)")}");
        output.WriteLine($"final: {string.Join(", ", sagas.GroupBy(s => s.Status).Select(g => $"{g.Key}={g.Count()}"))}; all settled {settledAfter.TotalSeconds:0.0} s after the window's end");
        output.WriteLine($"ledger: {sagas.Count(s => byCoid.ContainsKey(s.ClientOrderId))} of {sagas.Count} cOIDs, max entries per cOID {sagas.Max(s => byCoid.GetValueOrDefault(s.ClientOrderId)?.Count ?? 0)}; accepted while down: {acceptedDuring.Count}; state-changing requests answered 2xx while down: {changesDuring.Count}");
        output.WriteLine($"OrderHeld events: {held.Count} for {heldIds.Count} orders (causes {string.Join(", ", held.GroupBy(h => h.Cause).Select(g => $"{g.Key}={g.Count()}"))}); orders seen Held in the database: {seenHeld.Count}, of them without an OrderHeld: {seenHeld.Count(id => !heldIds.Contains(id))}");
        output.WriteLine($"refused /iserver requests of the users during the window: {refused.Count}; by user {string.Join(", ", refused.GroupBy(r => r.UserId).Select(g => $"{g.Key}={g.Count()}"))}; by request {string.Join(", ", refused.GroupBy(r => $"{r.Method} {Template(r.Path)}").Select(g => $"{g.Key}={g.Count()}"))}");
        // The user's first hold is when the guard knew; requests refused before it met the outage undetected.
        var heldFrom = held.GroupBy(h => sagas.Single(s => s.OrderId == h.OrderId).UserId).ToDictionary(g => g.Key, g => g.Min(h => h.OccurredAt), StringComparer.Ordinal);
        var probes = refused.Where(r => r.Path.EndsWith("/auth/status", StringComparison.Ordinal)).ToList();
        var beforeDetection = refused.Where(r => !probes.Contains(r) && (!heldFrom.TryGetValue(r.UserId!, out var from) || r.At < from)).ToList();
        var afterDetection = refused.Where(r => !probes.Contains(r) && !beforeDetection.Contains(r)).ToList();
        output.WriteLine($"of them: status probes {probes.Count} (bound {probeBound}: {Users.Length} users x (60 s / {WindowFixture.ProbeInterval.TotalSeconds:0} s + 2)); other requests before the user's first hold {beforeDetection.Count} ({string.Join(", ", beforeDetection.GroupBy(r => $"{r.Method} {Template(r.Path)}").Select(g => $"{g.Key}={g.Count()}"))}); other requests after it {afterDetection.Count} ({string.Join(", ", afterDetection.Select(r => $"{r.UserId} {r.Method} {Template(r.Path)} +{(r.At - heldFrom[r.UserId!]).TotalSeconds:0.0} s"))})");
        output.WriteLine($"first hold per user, after IBKR went down: {string.Join(", ", heldFrom.Select(h => $"{h.Key} +{(h.Value - simStart).TotalSeconds:0.0} s"))}");
        if (fixture.IsScheduled)
            output.WriteLine($"requests of the users to IBKR inside the scheduled window: {usersRequestsInScheduledWindow.Count}, of them reads in its first second (let go before it) {readsInFirstSecond.Count}: {string.Join(", ", readsInFirstSecond.Select(r => $"{r.UserId} {r.Method} {Template(r.Path)} +{(r.At - windowStart).TotalMilliseconds:0} ms"))}");

        Assert.DoesNotContain(sagas, s => s.Status is OrderStatus.Failed or OrderStatus.NeedsAttention or OrderStatus.Rejected);
        Assert.Equal(orders.Count, sagas.Count);
        Assert.All(sagas, s => Assert.True(byCoid.TryGetValue(s.ClientOrderId, out var entries) && entries.Count == 1, $"{s.ClientOrderId}: {byCoid.GetValueOrDefault(s.ClientOrderId)?.Count ?? 0} ledger entries"));
        Assert.All(sagas.Where(s => s.Status == OrderStatus.Filled), s => Assert.Equal((s.Quantity, s.Quantity), (s.FilledQuantity, byCoid[s.ClientOrderId][0].FilledQuantity)));
        Assert.All(sagas.Where(s => s.Status == OrderStatus.Working), s => Assert.Equal((0m, 0m), (s.FilledQuantity, byCoid[s.ClientOrderId][0].FilledQuantity)));
        Assert.Empty(acceptedDuring);
        Assert.Empty(changesDuring);
        Assert.Empty(outOfOrder);
        Assert.All(arrivedInWindow, s => Assert.True(heldIds.Contains(s.OrderId), $"{s.UserId}'s order {s.ClientOrderId} arrived at {s.CreatedAt:HH:mm:ss.fff} while IBKR was down and was not held"));
        Assert.All(seenHeld, id => Assert.Contains(id, heldIds));
        Assert.All(held, h => Assert.Equal(expectedCause, h.Cause));
        Assert.True(probes.Count <= probeBound, $"{probes.Count} status probes refused during the window (bound {probeBound})");
        Assert.True(afterDetection.All(r => r.At < heldFrom[r.UserId!] + inFlight),
            $"a retry storm: {afterDetection.Count(r => r.At >= heldFrom[r.UserId!] + inFlight)} requests other than probes refused more than {inFlight.TotalSeconds:0} s after their user's first hold");
        if (!fixture.IsScheduled)
        {
            // Detection: every user is held within 10 s of IBKR going down (until then its sends meet 503s and are
            // reconciled by cOID: counted above as "before the user's first hold").
            Assert.Equal(Users.Order(StringComparer.Ordinal), heldFrom.Keys.Order(StringComparer.Ordinal));
            Assert.All(heldFrom.Values, from => Assert.True(from - simStart < TimeSpan.FromSeconds(10), $"a user held only {(from - simStart).TotalSeconds:0.0} s after IBKR went down"));
        }
        if (fixture.IsScheduled)
        {
            Assert.Empty(usersRequestsInScheduledWindow.Except(readsInFirstSecond));
            Assert.All(heldPerOrder, p => Assert.Equal(1, p.Value));
            Assert.All(held, h => Assert.Equal(windowEnd, h.ExpectedUntil!.Value, TimeSpan.FromSeconds(1)));
        }
    }

    private static Kind KindOf(int i) => (i % 5) switch
    {
        0 => Kind.RestingLimit,
        1 or 3 => Kind.Market,
        _ => Kind.MarketableLimit,
    };

    private static PlaceOrder Order(int i)
    {
        var user = Users[i % Users.Length];
        var order = TestOrders.Limit(user, quantity: 1 + (i % 3)) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = Conid };
        return KindOf(i) switch
        {
            Kind.RestingLimit => order with { LimitPrice = Price * 0.8m },
            Kind.MarketableLimit => order with { LimitPrice = Price * 1.02m },
            _ => order with { OrderType = OrderType.Market, LimitPrice = null },
        };
    }

    /// <summary>A request's path with its account and order ids left out, to group requests by endpoint.</summary>
    private static string Template(string path) => string.Join('/', path.Split('/').Select(p => p.Length > 0 && (char.IsDigit(p[^1]) || p.StartsWith("DU", StringComparison.Ordinal)) ? "{id}" : p));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed record OrderRow(Guid OrderId, string ClientOrderId, string UserId, DateTimeOffset CreatedAt, OrderStatus Status, decimal FilledQuantity, decimal Quantity);
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.IntegrationTests.Infrastructure;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// The claim query against PostgreSQL (no processor, no bus): held orders of users IBKR is still unavailable for are
/// not claimed (except to end a hold past Lifecycle:MaxHold); those of users IBKR is back for are claimed at once,
/// oldest first, one placement at a time per user, and before the user's newer orders. And the claim's window of
/// candidates never fills with placements it would drop.
/// </summary>
public sealed class When_held_orders_are_claimed(ITestOutputHelper output) : IAsyncLifetime
{
    // The leases the claim takes are compared with the database's clock: the test's fixed clock is today's.
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly StandaloneOrderStores _stores = new();

    public Task InitializeAsync() => _stores.InitializeAsync();

    public Task DisposeAsync() => _stores.DisposeAsync();

    [Fact]
    public async Task Should_skip_paused_users_and_release_the_others_in_arrival_order_one_at_a_time()
    {
        var settings = new LifecycleOptions();
        // "paused": IBKR still unavailable. One hold is not over (not claimed), one is (claimed, to be sent or rejected),
        // and a new order arrives (claimed: the guard refuses it before sending and it is held in its turn).
        var pausedHeld = Order("paused", OrderStatus.Held, OrderWork.Submit, created: Now.AddMinutes(-20), due: Now.AddMinutes(-1), heldSince: Now.AddMinutes(-10));
        var pausedExpired = Order("paused", OrderStatus.Held, OrderWork.Submit, created: Now.AddMinutes(-40), due: Now, heldSince: Now - settings.MaxHold);
        var pausedNew = Order("paused", OrderStatus.Received, OrderWork.Submit, created: Now.AddSeconds(-2), due: Now.AddSeconds(-2));
        // "back": IBKR available again. Two held orders not due until the window's expected end, and a newer order due now.
        var backFirst = Order("back", OrderStatus.Held, OrderWork.Submit, created: Now.AddMinutes(-9), due: Now.AddMinutes(5), heldSince: Now.AddMinutes(-9));
        var backSecond = Order("back", OrderStatus.Held, OrderWork.CheckMargin, created: Now.AddMinutes(-8), due: Now.AddMinutes(5), heldSince: Now.AddMinutes(-8));
        var backNewer = Order("back", OrderStatus.Received, OrderWork.Submit, created: Now.AddMinutes(-1), due: Now.AddMinutes(-1));
        // "other": nothing held; its three due orders are claimed together as before.
        var others = Enumerable.Range(0, 3).Select(i => Order("other", OrderStatus.Received, OrderWork.Submit, created: Now.AddSeconds(-10 + i), due: Now.AddSeconds(-10 + i))).ToList();
        await using (var db = _stores.Servers.CreateDbContext())
        {
            db.Orders.AddRange([pausedHeld, pausedExpired, pausedNew, backFirst, backSecond, backNewer, .. others]);
            await db.SaveChangesAsync();
        }

        var store = Store(settings, new PausedUsers("paused"));
        var names = new Dictionary<Guid, string>
        {
            [pausedHeld.OrderId] = "paused/held",
            [pausedExpired.OrderId] = "paused/hold-over",
            [pausedNew.OrderId] = "paused/new",
            [backFirst.OrderId] = "back/held-1",
            [backSecond.OrderId] = "back/held-2",
            [backNewer.OrderId] = "back/newer",
        };
        string Named(ClaimedWork w) => names.GetValueOrDefault(w.LeaderId, $"{w.UserId}/{w.LeaderId.ToString()[..4]}");

        var first = await store.ClaimDueWorkAsync(Budget(), CancellationToken.None);
        output.WriteLine($"claim 1: {string.Join(", ", first.Select(w => $"{Named(w)} {w.Work}"))}");
        Assert.Equal(["back/held-1"], first.Where(w => w.UserId == "back").Select(Named));
        Assert.Equal(["paused/hold-over", "paused/new"], first.Where(w => w.UserId == "paused").Select(Named).Order(StringComparer.Ordinal));
        Assert.Equal(3, first.Count(w => w.UserId == "other"));

        // The released send is still under way here: nothing more of that user is placed.
        var whileSending = await store.ClaimDueWorkAsync(Budget(("back", 1)), CancellationToken.None);
        output.WriteLine($"claim 2 (back's released send still running here): {string.Join(", ", whileSending.Select(Named))}");
        Assert.DoesNotContain(whileSending, w => w.UserId == "back");

        // Its answer came (IBKR took it): the next held order goes, then the newer one.
        await SubmittedAsync(backFirst.OrderId);
        var second = await store.ClaimDueWorkAsync(Budget(), CancellationToken.None);
        output.WriteLine($"claim 3 (held-1 submitted): {string.Join(", ", second.Select(w => $"{Named(w)} {w.Work}"))}");
        Assert.Equal([("back/held-2", OrderWork.CheckMargin)], second.Where(w => w.UserId == "back").Select(w => (Named(w), w.Work)));

        await SubmittedAsync(backSecond.OrderId);
        var third = await store.ClaimDueWorkAsync(Budget(), CancellationToken.None);
        output.WriteLine($"claim 4 (held-2 done): {string.Join(", ", third.Select(Named))}");
        Assert.Equal(["back/newer"], third.Where(w => w.UserId == "back").Select(Named));

        await using var check = _stores.Servers.CreateDbContext();
        var stillHeld = await check.Orders.Where(o => o.Status == OrderStatus.Held).Select(o => o.OrderId).ToListAsync();
        output.WriteLine($"still held: {string.Join(", ", stillHeld.Select(id => names[id]))}");
        Assert.Equal([pausedHeld.OrderId], stillHeld);
    }

    [Fact]
    public async Task Should_claim_nothing_differently_while_ibkr_is_available_for_everyone()
    {
        var orders = Enumerable.Range(0, 4).Select(i => Order("alice", OrderStatus.Received, OrderWork.Submit, created: Now.AddSeconds(-i), due: Now.AddSeconds(-10 + i))).ToList();
        await using (var db = _stores.Servers.CreateDbContext())
        {
            db.Orders.AddRange(orders);
            await db.SaveChangesAsync();
        }

        var claimed = await Store(new LifecycleOptions(), new PausedUsers()).ClaimDueWorkAsync(Budget(), CancellationToken.None);

        output.WriteLine($"no hold anywhere: {claimed.Count} of {orders.Count} due placements of one user claimed at once, in arrival order: {claimed.Select(w => w.LeaderId).SequenceEqual(orders.OrderBy(o => o.CreatedAt).Select(o => o.OrderId))}");
        Assert.Equal(orders.Count, claimed.Count);
        Assert.Equal(orders.OrderBy(o => o.CreatedAt).Select(o => o.OrderId), claimed.Select(w => w.LeaderId));
    }

    /// <summary>
    /// Users with a cancel under way here (ClaimBudget.Stopping) get no new placement claimed. Their older due placements
    /// come first in the claim's order; sent back as candidates, 30 of them filled a window of 24 (twice a room of 4,
    /// and 16), the lock statement dropped them all, and another user's due cancel waited with slots free.
    /// </summary>
    [Fact]
    public async Task Should_claim_a_due_cancel_past_the_placements_of_stopping_users()
    {
        var stopping = Enumerable.Range(0, 30).Select(i => $"stopping-{i:00}").ToList();
        var placements = stopping.Select((u, i) => Order(u, OrderStatus.Received, OrderWork.Submit, created: Now.AddMinutes(-10).AddSeconds(i), due: Now.AddMinutes(-10).AddSeconds(i))).ToList();
        var cancel = Order("canceller", OrderStatus.PendingCancel, OrderWork.Cancel, created: Now.AddMinutes(-5), due: Now.AddSeconds(-1));
        cancel.CancelRequested = true;
        cancel.BrokerOrderId = "1234567";
        await using (var db = _stores.Servers.CreateDbContext())
        {
            db.Orders.AddRange([.. placements, cancel]);
            await db.SaveChangesAsync();
        }

        var budget = new ClaimBudget(4, 5, new Dictionary<string, int>(StringComparer.Ordinal), stopping);
        var claimed = await Store(new LifecycleOptions(), new PausedUsers()).ClaimDueWorkAsync(budget, CancellationToken.None);

        output.WriteLine($"claimed with 30 stopping users' placements due first: {string.Join(", ", claimed.Select(w => $"{w.UserId} {w.Work}"))}");
        Assert.Equal([("canceller", OrderWork.Cancel)], claimed.Select(w => (w.UserId, w.Work)));
    }

    private static ClaimBudget Budget(params (string User, int Running)[] running) =>
        new(20, 5, running.ToDictionary(r => r.User, r => r.Running, StringComparer.Ordinal), []);

    private PostgresOrderStore Store(LifecycleOptions settings, IIbkrAvailability availability) =>
        _stores.Create(settings, new FixedClock(Now), availability);

    private async Task SubmittedAsync(Guid orderId)
    {
        await using var db = _stores.Servers.CreateDbContext();
        var order = await db.Orders.SingleAsync(o => o.OrderId == orderId);
        order.Status = OrderStatus.Submitted;
        order.WorkDue = OrderWork.None;
        order.WorkDueAt = null;
        order.ClaimToken = null;
        order.HeldSince = null;
        order.HoldUntil = null;
        await db.SaveChangesAsync();
    }

    private static OrderSaga Order(string user, OrderStatus status, OrderWork work, DateTimeOffset created, DateTimeOffset due, DateTimeOffset? heldSince = null) =>
        DueOrder.Of(user, status, work, created, due, heldSince);

    /// <summary>IBKR unavailable for the named users (a detected outage), available for everyone else.</summary>
    private sealed class PausedUsers(params string[] users) : IIbkrAvailability
    {
        public event Action<IReadOnlyCollection<string>>? Released
        {
            add { }
            remove { }
        }

        public Availability Check(string userId) => users.Contains(userId)
            ? new(false, HoldCause.IbkrUnavailable, "NorthAmerica", null, "IBKR answered 503")
            : new(true, HoldCause.IbkrUnavailable, "NorthAmerica", null, string.Empty);

        public (IReadOnlyList<string> Regions, IReadOnlyList<string> Users) Unavailable() => ([], users);

        public string RegionOf(string userId) => "NorthAmerica";
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

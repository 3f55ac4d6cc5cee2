using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// Three orders of one user are held by a 40 s scheduled window (IBKR's back-end down inside it): one is cancelled
/// (Cancelled, nothing ever at IBKR), one is modified (the new quantity and limit are what IBKR accepts after the window),
/// and one, held from the window's first second, passes <c>Lifecycle:MaxHold</c> (20 s) inside the window
/// (Rejected with HoldExpired, nothing sent).
/// </summary>
public sealed class When_a_held_order_is_cancelled_or_modified(When_a_held_order_is_cancelled_or_modified.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_a_held_order_is_cancelled_or_modified.Fixture>
{
    private const string User = "alice";
    private const int Conid = 9721;
    private static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(20);

    public sealed class Fixture() : WindowSoonFixture(TimeSpan.FromSeconds(40))
    {
        protected override Dictionary<string, string?> MoreSettings => new()
        {
            ["Lifecycle:MaxHold"] = MaxHold.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["Lifecycle:HoldProbeInterval"] = "00:00:01",
        };
    }

    [Fact]
    public async Task Should_cancel_one_send_the_others_modified_terms_and_reject_the_third_past_max_hold()
    {
        fixture.Simulator.Control.PinPrice(Conid, 50m);
        var warmUp = TestOrders.Market(User, 1) with { AccountId = SimulatorUnderTest.Accounts[User], Conid = Conid };
        await fixture.Downstream.Publisher.Publish(warmUp);
        await fixture.WaitForStatusAsync(warmUp.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
        await fixture.WaitForWindowStartAsync();
        // IBKR's outage ends 0.5 s before the guard's schedule does: past it, the modified order sent at the window's end
        // would be held again until the next probe (5 s), after its MaxHold (4 s after the window).
        var down = fixture.StartOutageUntil(fixture.WindowEnd - TimeSpan.FromSeconds(0.5));
        var downSince = DateTimeOffset.UtcNow;

        // Resting limit orders (50 % under the market), so that what IBKR accepted stays in its ledger as accepted.
        PlaceOrder Resting(decimal quantity, decimal limit) =>
            TestOrders.Limit(User, quantity, limit) with { AccountId = SimulatorUnderTest.Accounts[User], Conid = Conid };
        var expiring = Resting(2, 25m);
        await fixture.Downstream.Publisher.Publish(expiring);
        await fixture.WaitForStatusAsync(expiring.OrderId, OrderStatus.Held, TimeSpan.FromSeconds(10));

        // The other two arrive late enough in the window that the window ends before their MaxHold does.
        await Task.Delay(fixture.WindowStart + TimeSpan.FromSeconds(24) - DateTimeOffset.UtcNow);
        var cancelled = Resting(3, 26m);
        var modified = Resting(3, 27m);
        await fixture.Downstream.Publisher.Publish(cancelled);
        await fixture.Downstream.Publisher.Publish(modified);
        await fixture.WaitForStatusAsync(cancelled.OrderId, OrderStatus.Held, TimeSpan.FromSeconds(10));
        await fixture.WaitForStatusAsync(modified.OrderId, OrderStatus.Held, TimeSpan.FromSeconds(10));
        await fixture.Downstream.Publisher.Publish(new CancelOrder { OrderId = cancelled.OrderId, UserId = User, Reason = "changed my mind" });
        await fixture.Downstream.Publisher.Publish(new ModifyOrder { OrderId = modified.OrderId, UserId = User, Quantity = 7, LimitPrice = 28m });
        var cancelledSaga = await fixture.WaitForStatusAsync(cancelled.OrderId, OrderStatus.Cancelled, TimeSpan.FromSeconds(10));
        var modifiedEvents = await fixture.Downstream.WaitForAsync(modified.OrderId, e => e.Any(x => x.Event is OrderModified), TimeSpan.FromSeconds(10));
        var modifiedAt = DateTimeOffset.UtcNow;
        var rejected = await fixture.WaitForStatusAsync(expiring.OrderId, OrderStatus.Rejected, fixture.WindowEnd - DateTimeOffset.UtcNow);
        var stillHeldAtModify = modifiedAt < fixture.WindowEnd;

        var working = await fixture.WaitForStatusAsync(modified.OrderId, OrderStatus.Working, fixture.WindowEnd - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30));
        await fixture.WaitForOutboxPublishedAsync();
        var expiringEvents = await fixture.Downstream.WaitForAsync(expiring.OrderId, e => e.Any(x => x.Event is OrderRejected), TimeSpan.FromSeconds(10));
        var cancelledEvents = await fixture.Downstream.WaitForAsync(cancelled.OrderId, e => e.Any(x => x.Event is OrderCancelled), TimeSpan.FromSeconds(10));
        var firstHold = expiringEvents.Select(e => e.Event).OfType<OrderHeld>().First();
        var rejection = expiringEvents.Select(e => e.Event).OfType<OrderRejected>().Single();
        var rejectedAt = rejection.OccurredAt;

        var ledger = fixture.Simulator.Control.Ledger();
        string[] coids;
        await using (var db = fixture.Db())
        {
            var ids = new[] { expiring.OrderId, cancelled.OrderId, modified.OrderId };
            var byId = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToDictionaryAsync(o => o.OrderId, o => o.ClientOrderId);
            coids = [byId[expiring.OrderId], byId[cancelled.OrderId], byId[modified.OrderId]];
        }

        var modifiedAtIbkr = ledger.Where(l => l.COID == coids[2]).ToList();
        output.WriteLine($"window {fixture.WindowStart:HH:mm:ss.fff}-{fixture.WindowEnd:HH:mm:ss.fff}Z, IBKR down from {downSince:HH:mm:ss.fff} until {down.Until:HH:mm:ss.fff}");
        output.WriteLine($"cancelled: {cancelledSaga.Status}, events {string.Join(" > ", cancelledEvents.Select(e => e.Event.GetType().Name))}, ledger entries {ledger.Count(l => l.COID == coids[1])}");
        output.WriteLine($"modified while held (window still on at the OrderModified: {stillHeldAtModify}): events {string.Join(" > ", modifiedEvents.Select(e => e.Event.GetType().Name))}; at IBKR {string.Join("; ", modifiedAtIbkr.Select(l => $"{l.Quantity} @ {l.Price} {l.Status} accepted {(l.AcceptedAt - fixture.WindowEnd).TotalMilliseconds:0} ms after the window"))}; saga {working.Quantity} @ {working.LimitPrice} {working.Status}");
        output.WriteLine($"expired: held {firstHold.OccurredAt:HH:mm:ss.fff}, RejectAfter {firstHold.RejectAfter:HH:mm:ss.fff}, rejected {rejectedAt:HH:mm:ss.fff} = {(rejectedAt - firstHold.OccurredAt).TotalSeconds:0.0} s held, {rejection.ReasonCode}: {rejection.Reason}; ledger entries {ledger.Count(l => l.COID == coids[0])}");

        Assert.DoesNotContain(ledger, l => l.COID == coids[1]);
        Assert.True(stillHeldAtModify, "the modification was applied only after the window");
        Assert.Equal(7, Assert.Single(modifiedAtIbkr).Quantity);
        Assert.Equal(28m, modifiedAtIbkr[0].Price);
        Assert.True(modifiedAtIbkr[0].AcceptedAt >= fixture.WindowEnd - TimeSpan.FromSeconds(0.5), "the modified order reached IBKR during the window");
        Assert.Equal(OrderStatus.Rejected, rejected.Status);
        Assert.Equal(RejectionReasonCode.HoldExpired, rejection.ReasonCode);
        Assert.DoesNotContain(ledger, l => l.COID == coids[0]);
        Assert.True(rejectedAt >= firstHold.OccurredAt + MaxHold - TimeSpan.FromSeconds(1), $"rejected after {(rejectedAt - firstHold.OccurredAt).TotalSeconds:0.0} s, before MaxHold");
        Assert.True(rejectedAt <= firstHold.RejectAfter + TimeSpan.FromSeconds(5), $"rejected {(rejectedAt - firstHold.RejectAfter).TotalSeconds:0.0} s after its RejectAfter");
        Assert.True(rejectedAt < fixture.WindowEnd, "the expired hold was only rejected at the window's end");
        Assert.Equal(firstHold.OccurredAt + MaxHold, firstHold.RejectAfter, TimeSpan.FromSeconds(1));
    }
}

using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// IBKR's maintenance runs past its scheduled window (it often does): orders held by the window are tried at its end,
/// IBKR answers that its back-end is not connected, and they are held again, without another <c>OrderHeld</c> and
/// without anything reaching IBKR, until a probe finds it back. Then each reaches IBKR once, nothing is rejected, and
/// the whole wait counts towards <c>Lifecycle:MaxHold</c> from the first hold.
/// </summary>
public sealed class When_ibkr_comes_back_after_its_scheduled_window(When_ibkr_comes_back_after_its_scheduled_window.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_ibkr_comes_back_after_its_scheduled_window.Fixture>
{
    private static readonly string[] Users = ["alice", "bob"];
    private const int Conid = 9731;
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(6);

    public sealed class Fixture() : WindowSoonFixture(TimeSpan.FromSeconds(20))
    {
        protected override Dictionary<string, string?> MoreSettings => new() { ["Lifecycle:HoldProbeInterval"] = "00:00:01" };
    }

    [Fact]
    public async Task Should_hold_its_orders_again_send_nothing_until_it_answers_and_then_send_each_once()
    {
        fixture.Simulator.Control.PinPrice(Conid, 50m);
        foreach (var user in Users)
        {
            var warmUp = TestOrders.Market(user, 1) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = Conid };
            await fixture.Downstream.Publisher.Publish(warmUp);
            await fixture.WaitForStatusAsync(warmUp.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
        }

        await fixture.WaitForWindowStartAsync();
        var down = fixture.StartOutageUntil(fixture.WindowEnd + Overrun);
        var back = down.Until!.Value;

        var orders = Users.SelectMany(user => Enumerable.Range(1, 3).Select(i =>
            TestOrders.Market(user, i) with { AccountId = SimulatorUnderTest.Accounts[user], Conid = Conid })).ToList();
        foreach (var order in orders)
        {
            await fixture.Downstream.Publisher.Publish(order);
        }

        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Held, TimeSpan.FromSeconds(10));
        }

        // Past the schedule, IBKR still down: tried, answered not connected, held again.
        await Task.Delay(fixture.WindowEnd + TimeSpan.FromSeconds(3) - DateTimeOffset.UtcNow);
        var ids = orders.Select(o => o.OrderId).ToList();
        List<(Guid OrderId, string UserId, OrderStatus Status, string? Reason, DateTimeOffset? HeldSince)> afterSchedule;
        await using (var db = fixture.Db())
        {
            afterSchedule = [.. (await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToListAsync())
                .Select(o => (o.OrderId, o.UserId!, o.Status, o.LastReason, o.HeldSince))];
        }

        var ledgerBeforeBack = fixture.Simulator.Control.Ledger();
        var stillDown = DateTimeOffset.UtcNow < back;

        var filled = new List<DateTimeOffset>();
        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, back - DateTimeOffset.UtcNow + WindowFixture.ProbeInterval + TimeSpan.FromSeconds(15));
            filled.Add(DateTimeOffset.UtcNow);
        }

        await fixture.WaitForOutboxPublishedAsync();
        var ledger = fixture.Simulator.Control.Ledger();
        Dictionary<Guid, string> coids;
        await using (var db = fixture.Db())
        {
            coids = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToDictionaryAsync(o => o.OrderId, o => o.ClientOrderId);
        }

        output.WriteLine($"window {fixture.WindowStart:HH:mm:ss.fff}-{fixture.WindowEnd:HH:mm:ss.fff}Z, IBKR back at {back:HH:mm:ss.fff}");
        foreach (var (orderId, userId, status, reason, heldSince) in afterSchedule)
        {
            output.WriteLine($"3 s after the schedule: {userId} {orderId} {status} since {heldSince:HH:mm:ss.fff}: {reason}");
        }

        output.WriteLine($"all {orders.Count} filled {(filled.Max() - back).TotalSeconds:0.0} s after IBKR was back");

        Assert.True(stillDown, "the check 3 s after the schedule ran after IBKR was back");
        Assert.All(afterSchedule, o => Assert.Equal(OrderStatus.Held, o.Status));
        // Held again, still held since the first hold: MaxHold counts from there.
        Assert.All(afterSchedule, o => Assert.True(o.HeldSince < fixture.WindowEnd, $"order {o.OrderId} held since {o.HeldSince:HH:mm:ss.fff}, not since its first hold in the window"));
        // Each user's first order is tried at the schedule's end and held again on IBKR's answer; its others wait behind it.
        foreach (var user in Users)
        {
            Assert.Contains(afterSchedule, o => o.UserId == user && o.Reason?.Contains("not connected", StringComparison.Ordinal) == true);
        }

        Assert.DoesNotContain(ledgerBeforeBack, l => coids.ContainsValue(l.COID ?? string.Empty));
        foreach (var orderId in ids)
        {
            var atIbkr = Assert.Single(ledger, l => l.COID == coids[orderId]);
            Assert.True(atIbkr.AcceptedAt >= back, $"order {orderId} reached IBKR at {atIbkr.AcceptedAt:HH:mm:ss.fff}, before it was back");
            var events = fixture.Downstream.For(orderId).Select(e => e.Event).ToList();
            Assert.Single(events.OfType<OrderHeld>());
            Assert.Empty(events.OfType<OrderRejected>());
        }
    }
}

using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// Orders arrive during IBKR's scheduled maintenance window of the users' region (a window on the wall clock, configured
/// to start shortly after the processor): nothing of theirs reaches IBKR during it, none of them fails, and every one is
/// sent once and fills after the window.
/// </summary>
public sealed class When_orders_arrive_across_a_maintenance_window(When_orders_arrive_across_a_maintenance_window.Fixture fixture, ITestOutputHelper output)
    : IClassFixture<When_orders_arrive_across_a_maintenance_window.Fixture>
{
    private static readonly string[] Users = ["alice", "bob"];

    public sealed class Fixture() : WindowSoonFixture(TimeSpan.FromSeconds(20))
    {
        public static readonly TimeSpan WorkPollInterval = TimeSpan.FromSeconds(5);

        protected override Dictionary<string, string?> MoreSettings => new()
        {
            ["Brokerage:Maintenance:ProbeInterval"] = "00:00:01",

            // The worker's own look far apart: each user's held orders are released one after the other, each when the
            // one before it is done (that end wakes the worker), not one per look.
            ["Lifecycle:WorkPollInterval"] = WorkPollInterval.ToString("c", CultureInfo.InvariantCulture),
        };
    }

    [Fact]
    public async Task Should_send_nothing_during_the_window_fail_none_and_fill_each_once_after_it()
    {
        // Every user has a session before the window (the window is what holds them, not a missing set-up).
        var warmUp = Users.Select(u => TestOrders.Market(u) with { AccountId = SimulatorUnderTest.Accounts[u], Conid = 9701 }).ToList();
        foreach (var order in warmUp)
            await fixture.Downstream.Publisher.Publish(order);
        foreach (var order in warmUp)
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, TimeSpan.FromSeconds(30));
        await fixture.WaitForWindowStartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));

        var orders = Enumerable.Range(0, 20).Select(i => TestOrders.Market(Users[i % Users.Length], quantity: 1 + (i % 3)) with
        {
            AccountId = SimulatorUnderTest.Accounts[Users[i % Users.Length]],
            Conid = 9702,
        }).ToList();
        foreach (var order in orders)
            await fixture.Downstream.Publisher.Publish(order);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var duringWindow = fixture.Simulator.Control.Requests()
            .Where(r => r.At >= fixture.WindowStart && r.At < fixture.WindowEnd && Users.Contains(r.UserId) && r.Path.StartsWith("/v1/api", StringComparison.Ordinal))
            .ToList();
        var ids = orders.Select(o => o.OrderId).ToList();
        Dictionary<OrderStatus, int> statesInWindow;
        await using (var db = fixture.Db())
        {
            statesInWindow = (await db.Orders.Where(o => ids.Contains(o.OrderId)).Select(o => o.Status).ToListAsync())
                .GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
        }

        var filledAt = new List<TimeSpan>();
        foreach (var order in orders)
        {
            await fixture.WaitForStatusAsync(order.OrderId, OrderStatus.Filled, fixture.WindowEnd - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60));
            filledAt.Add(DateTimeOffset.UtcNow - fixture.WindowEnd);
        }

        var ledger = fixture.Simulator.Control.Ledger();
        var coids = ledger.Where(l => l.COID is not null).GroupBy(l => l.COID!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        string[] sentCoids;
        await using (var db = fixture.Db())
        {
            sentCoids = [.. await db.Orders.Where(o => ids.Contains(o.OrderId)).Select(o => o.ClientOrderId).ToListAsync()];
        }

        var firstAccepted = ledger.Where(l => sentCoids.Contains(l.COID)).Min(l => l.AcceptedAt);
        output.WriteLine($"window {fixture.WindowStart:HH:mm:ss.fff}-{fixture.WindowEnd:HH:mm:ss.fff}Z; {orders.Count} orders published 1 s into it");
        output.WriteLine($"states 5 s later: {string.Join(", ", statesInWindow.Select(s => $"{s.Key}={s.Value}"))}; requests of the users to IBKR during the window: {duringWindow.Count}");
        output.WriteLine($"first acceptance at IBKR {(firstAccepted - fixture.WindowEnd).TotalMilliseconds:0} ms after the window's end; all filled {filledAt.Max().TotalSeconds:0.0} s after it; cOIDs in the ledger {sentCoids.Count(coids.ContainsKey)} of {sentCoids.Length}, max per cOID {sentCoids.Max(c => coids.GetValueOrDefault(c))}");
        Assert.Empty(duringWindow);
        Assert.DoesNotContain(OrderStatus.Failed, statesInWindow.Keys);
        Assert.DoesNotContain(OrderStatus.Submitted, statesInWindow.Keys);
        Assert.DoesNotContain(OrderStatus.Filled, statesInWindow.Keys);
        Assert.True(firstAccepted >= fixture.WindowEnd, "an order reached IBKR during the window");
        Assert.All(sentCoids, c => Assert.Equal(1, coids.GetValueOrDefault(c)));
        // Ten held orders per user, released one at a time: one look of the worker apart each would be 50 s.
        Assert.True(filledAt.Max() < 4 * Fixture.WorkPollInterval, $"the held orders were all filled {filledAt.Max().TotalSeconds:0.0} s after the window");
    }
}

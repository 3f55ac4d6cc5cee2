using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// What a burst of orders came to, counted from PostgreSQL, the simulator's ledger and a downstream subscriber that
/// de-duplicates by message id: the figures every fault test asserts and prints.
/// </summary>
public sealed record BurstOutcome(int Orders, int Final, int Lost, int Duplicated, int OutboxRows, int Unpublished, int SequenceGaps,
    int EventsSeenAfterDedup, int DuplicateDeliveries, int MissingEvents)
{
    public static Task<BurstOutcome> MeasureAsync(ProcessorFixture fixture, IReadOnlyCollection<Guid> orderIds) =>
        MeasureAsync(fixture.Servers, fixture.Simulator, fixture.Downstream, orderIds);

    public static async Task<BurstOutcome> MeasureAsync(IsolatedServers servers, SimulatorUnderTest simulator, DownstreamSubscriber downstream,
        IReadOnlyCollection<Guid> orderIds)
    {
        await using var db = servers.CreateDbContext();
        var ids = orderIds.ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).ToListAsync();
        var rows = await db.Outbox.AsNoTracking().Where(o => ids.Contains(o.OrderId) && o.OrderSequence > 0)
            .Select(o => new { o.OrderId, o.OrderSequence, o.MessageId, o.PublishedAt }).ToListAsync();
        var cOids = orders.ToDictionary(o => o.ClientOrderId, o => o);
        var ledger = simulator.Control.Ledger().Where(l => l.COID is not null && cOids.ContainsKey(l.COID)).ToList();
        var gaps = rows.GroupBy(r => r.OrderId).Count(g => !g.Select(r => r.OrderSequence).Order().SequenceEqual(Enumerable.Range(1, g.Count()).Select(i => (long)i)));
        var received = downstream.Received.Where(e => orderIds.Contains(e.Event.OrderId)).ToList();
        var seen = received.Select(e => e.MessageId).ToHashSet();
        return new BurstOutcome(
            Orders: orderIds.Count,
            Final: orders.Count(o => OrderLifecycle.IsFinal(o.Status)),
            Lost: orderIds.Count - orders.Count + orders.Count(o => o.Status is OrderStatus.Failed),
            Duplicated: ledger.Count - ledger.Select(l => l.COID).Distinct().Count(),
            OutboxRows: rows.Count,
            Unpublished: rows.Count(r => r.PublishedAt is null),
            SequenceGaps: gaps,
            EventsSeenAfterDedup: seen.Count,
            DuplicateDeliveries: received.Count - seen.Count,
            MissingEvents: rows.Count(r => !seen.Contains(r.MessageId)));
    }

    public override string ToString() =>
        $"orders {Orders}, final {Final}, lost {Lost}, duplicated at IBKR {Duplicated}, outbox rows {OutboxRows} (unpublished {Unpublished}, " +
        $"sequence gaps {SequenceGaps}), events seen once {EventsSeenAfterDedup}, duplicate deliveries {DuplicateDeliveries}, missing {MissingEvents}";
}

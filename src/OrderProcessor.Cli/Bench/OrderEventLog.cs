using System.Collections.Concurrent;
using OrderProcessor.Contracts;

namespace OrderProcessor.Cli.Bench;

/// <summary>
/// The fill events (OrderPartiallyFilled, OrderFilled) received per order, each event once by its sequence (a broker
/// redelivery of the same event is not a fill counted twice by the processor; a second event for the same fill is).
/// </summary>
public sealed class OrderEventLog
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<long, decimal>> _fills = new();

    public void Fill(Guid orderId, long sequence, decimal filledQuantity) =>
        _fills.GetOrAdd(orderId, _ => new ConcurrentDictionary<long, decimal>())[sequence] = filledQuantity;

    public void Record(OrderPartiallyFilled e) => Fill(e.OrderId, e.Sequence, e.FilledQuantity);

    public void Record(OrderFilled e) => Fill(e.OrderId, e.Sequence, e.FilledQuantity);

    /// <summary>The cumulative filled quantities reported for an order, in event order.</summary>
    public IReadOnlyList<decimal> FillsOf(Guid orderId) =>
        _fills.TryGetValue(orderId, out var fills) ? fills.OrderBy(f => f.Key).Select(f => f.Value).ToList() : [];
}

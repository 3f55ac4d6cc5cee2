using OrderProcessor.Simulator.Orders;

namespace OrderProcessor.Simulator.Streaming;

/// <summary>
/// Per connection: the field values last sent (or known at subscription) per order, so that <c>sor</c> sends an order
/// whole the first time and afterwards only what changed: nothing but the identity when nothing visible did.
/// Only while holding the connection's gate.
/// </summary>
public sealed class OrderDeltaTracker
{
    private readonly Dictionary<long, Dictionary<string, string>> _sent = [];

    /// <summary>The fields to send for <paramref name="order"/> now, remembered as sent, and whether they are all of them (its first frame).</summary>
    public (IReadOnlyList<KeyValuePair<string, string>> Fields, bool Whole) Delta(SimOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var fields = OrderStreamFrames.FieldsOf(order);
        if (!_sent.TryGetValue(order.OrderId, out var known))
        {
            _sent[order.OrderId] = fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
            return (fields, true);
        }

        var changed = fields.Where(f => !known.TryGetValue(f.Key, out var before) || !string.Equals(before, f.Value, StringComparison.Ordinal)).ToList();
        foreach (var (name, value) in changed)
            known[name] = value;
        return (changed, false);
    }

    /// <summary>
    /// An order that existed when <c>sor</c> was subscribed: IBKR does not replay it, so the connection only ever sends
    /// its changes (the client knows it from the live-orders read it made before subscribing).
    /// </summary>
    public void Seed(SimOrder order)
    {
        ArgumentNullException.ThrowIfNull(order);
        _sent[order.OrderId] = OrderStreamFrames.FieldsOf(order).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
    }

    public void Clear() => _sent.Clear();
}

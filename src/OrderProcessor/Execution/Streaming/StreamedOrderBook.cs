using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution.Streaming;

/// <summary>
/// One user's orders as the <c>sor</c> topic and the REST reads describe them, keyed by IBKR's order id. <c>sor</c>
/// frames are sparse deltas (a later frame may carry only <c>acct, conid, orderId</c> and what changed), so each is
/// merged into what is known: a field present overrides, an absent one (null, or <c>""</c> in the frame) keeps; the
/// filled quantity never decreases; an ended status (Filled, Cancelled, Inactive) is never replaced by a working one
/// (frames may come reordered or replayed: the same spirit as <see cref="BrokerOrderObservation.MostAdvanced"/>).
/// Every REST read is merged the same way (<see cref="Seed"/>), so a delta for an order known from the read maps to its
/// cOID. Not thread-safe: its owner serialises access.
/// </summary>
public sealed class StreamedOrderBook
{
    private readonly Dictionary<string, (LiveOrder Order, DateTimeOffset TouchedAt)> _orders = new(StringComparer.Ordinal);

    // IBKR order ids by cOID, in the order the cOID was first seen on each: a frame is looked up by its cOID up to three
    // times, and the book keeps a day of the user's orders (scanning it made each frame's cost grow with the day).
    private readonly Dictionary<string, List<string>> _byClientOrderId = new(StringComparer.Ordinal);

    public int Count => _orders.Count;

    /// <summary>
    /// Merges one delta; returns the merged order, or null when the delta names no IBKR order id (nothing to key it by).
    /// </summary>
    public LiveOrder? Merge(LiveOrder delta, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (string.IsNullOrEmpty(delta.OrderId))
        {
            return null;
        }

        var found = _orders.TryGetValue(delta.OrderId, out var known);
        var merged = found ? Merged(known.Order, delta) : delta;
        _orders[delta.OrderId] = (merged, at);
        // The cOID, once known, stays (Merged keeps the first one): indexed when it first appears.
        if (merged.OrderRef is { } clientOrderId && (!found || known.Order.OrderRef is null))
        {
            if (!_byClientOrderId.TryGetValue(clientOrderId, out var orderIds))
            {
                _byClientOrderId[clientOrderId] = orderIds = [];
            }

            orderIds.Add(delta.OrderId);
        }

        return merged;
    }

    /// <summary>A REST read of the live orders: merged like full frames.</summary>
    public void Seed(IReadOnlyList<LiveOrder> live, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(live);
        foreach (var order in live)
        {
            Merge(order, at);
        }
    }

    /// <summary>The merged order with this IBKR order id, if known.</summary>
    public LiveOrder? Find(string orderId) => _orders.TryGetValue(orderId, out var known) ? known.Order : null;

    /// <summary>The orders with this cOID (more than one only when IBKR took it twice).</summary>
    public IEnumerable<LiveOrder> WithClientOrderId(string clientOrderId) =>
        _byClientOrderId.TryGetValue(clientOrderId, out var orderIds) ? [.. orderIds.Select(id => _orders[id].Order)] : [];

    /// <summary>Forgets orders not touched since <paramref name="before"/> (ended long ago, or of another session).</summary>
    public int Prune(DateTimeOffset before)
    {
        var stale = _orders.Where(o => o.Value.TouchedAt < before).Select(o => o.Key).ToList();
        foreach (var orderId in stale)
        {
            if (_orders.Remove(orderId, out var forgotten) && forgotten.Order.OrderRef is { } clientOrderId
                && _byClientOrderId.TryGetValue(clientOrderId, out var orderIds))
            {
                orderIds.Remove(orderId);
                if (orderIds.Count == 0)
                {
                    _byClientOrderId.Remove(clientOrderId);
                }
            }
        }

        return stale.Count;
    }

    private static LiveOrder Merged(LiveOrder known, LiveOrder delta)
    {
        var knownEnded = known.Status is { } k && BrokerOrderStates.IsEnded(BrokerOrderStates.Parse(k));
        var deltaEnded = delta.Status is { } d && BrokerOrderStates.IsEnded(BrokerOrderStates.Parse(d));

        // A working status after an ended one is a late or replayed frame: the end stays, and so do the figures it came with.
        var stale = knownEnded && delta.Status is not null && !deltaEnded;
        var filled = Max(known.FilledQuantity, delta.FilledQuantity);
        var fillGrew = delta.FilledQuantity is { } f && f >= (known.FilledQuantity ?? 0) && !stale;
        return new LiveOrder
        {
            Acct = delta.Acct ?? known.Acct,
            Conid = delta.Conid ?? known.Conid,
            OrderId = known.OrderId,
            Status = stale ? known.Status : delta.Status ?? known.Status,
            FilledQuantity = filled,

            // The remaining quantity and the average price belong with the largest filled quantity.
            RemainingQuantity = fillGrew || (delta.FilledQuantity is null && !stale) ? delta.RemainingQuantity ?? known.RemainingQuantity : known.RemainingQuantity,
            AvgPrice = fillGrew || (delta.FilledQuantity is null && !stale) ? delta.AvgPrice ?? known.AvgPrice : known.AvgPrice,
            TotalSize = delta.TotalSize ?? known.TotalSize,
            Price = delta.Price ?? known.Price,
            OrderType = delta.OrderType ?? known.OrderType,
            Side = delta.Side ?? known.Side,
            TimeInForce = delta.TimeInForce ?? known.TimeInForce,
            OrderRef = known.OrderRef ?? delta.OrderRef,
            LastExecutionTimeMs = Max(known.LastExecutionTimeMs, delta.LastExecutionTimeMs),
            Ticker = delta.Ticker ?? known.Ticker,
        };
    }

    private static decimal? Max(decimal? a, decimal? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}

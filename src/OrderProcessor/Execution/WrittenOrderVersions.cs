using System.Collections.Concurrent;
using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// The version of each open order this instance last committed or read in a write (a copy of the row, <c>xmin</c>
/// included), so that the next write of it need not read it first: nearly always the stream's report of a fill right
/// after the order's answer was written, which read the order again for every fill (a round trip and an EF query).
/// </summary>
/// <remarks>
/// A copy is handed out once and only stands in for a read when the write changes it: its <c>xmin</c> is then the
/// update's concurrency check, so if anyone changed the order since (another writer here, a consumer, another
/// instance), the write conflicts and is decided again on a fresh read, like any write that lost a race. A write that
/// would leave a copy unchanged proves nothing about it and is decided again on a read (see
/// <see cref="PostgresOrderStore.UpdateOpenOrdersAsync"/>). A stale copy thus costs a round trip, never a lost update.
/// Final orders are forgotten; when full, everything is (any order can be read again).
/// </remarks>
public sealed class WrittenOrderVersions(int capacity = WrittenOrderVersions.DefaultCapacity)
{
    /// <summary>About as many open orders as a busy instance follows; a copy is about a kilobyte.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, OrderSaga> _byClientOrderId = new(StringComparer.Ordinal);

    public int Count => _byClientOrderId.Count;

    /// <summary>Keeps a copy of each open order as it is now (just committed, or read in the committed write).</summary>
    public void Remember(IEnumerable<OrderSaga> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        foreach (var order in orders)
        {
            if (OrderLifecycle.FinalStatuses.Contains(order.Status) || string.IsNullOrEmpty(order.ClientOrderId))
            {
                _byClientOrderId.TryRemove(order.ClientOrderId, out _);
                continue;
            }

            if (_byClientOrderId.Count >= capacity && !_byClientOrderId.ContainsKey(order.ClientOrderId))
            {
                _byClientOrderId.Clear();
            }

            _byClientOrderId[order.ClientOrderId] = order.Copy();
        }
    }

    /// <summary>
    /// The copies of every order named, taken out: null, and nothing taken, unless every one is kept and is the user's.
    /// </summary>
    public List<OrderSaga>? TakeAll(string userId, IReadOnlyCollection<string> clientOrderIds)
    {
        ArgumentNullException.ThrowIfNull(clientOrderIds);
        if (clientOrderIds.Count == 0
            || clientOrderIds.Any(c => !_byClientOrderId.TryGetValue(c, out var kept) || !string.Equals(kept.UserId, userId, StringComparison.Ordinal)))
        {
            return null;
        }

        var taken = new List<OrderSaga>(clientOrderIds.Count);
        foreach (var clientOrderId in clientOrderIds.Distinct(StringComparer.Ordinal))
        {
            if (!_byClientOrderId.TryRemove(clientOrderId, out var order))
            {
                // Another writer took it meanwhile: give back the others (unless newer ones came) and read them all.
                foreach (var back in taken)
                {
                    _byClientOrderId.TryAdd(back.ClientOrderId, back);
                }

                return null;
            }

            taken.Add(order);
        }

        return taken;
    }
}

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
/// Final orders are forgotten; when full, a tenth of the copies is (any order can be read again; orders another
/// instance ended are never reported here again and would otherwise stay).
/// </remarks>
public sealed class WrittenOrderVersions(int capacity = WrittenOrderVersions.DefaultCapacity)
{
    /// <summary>About as many open orders as a busy instance follows; a copy is about a kilobyte.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly ConcurrentDictionary<string, OrderSaga> _byClientOrderId = new(StringComparer.Ordinal);

    // Kept by hand: ConcurrentDictionary.Count takes every lock of the dictionary.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>Keeps a copy of each open order as it is now (just committed, or read in the committed write).</summary>
    public void Remember(IEnumerable<OrderSaga> orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        foreach (var order in orders)
        {
            if (string.IsNullOrEmpty(order.ClientOrderId))
            {
                continue;
            }

            if (OrderLifecycle.FinalStatuses.Contains(order.Status))
            {
                Forget(order.ClientOrderId);
                continue;
            }

            Keep(order.Copy());
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
                    if (_byClientOrderId.TryAdd(back.ClientOrderId, back))
                    {
                        Interlocked.Increment(ref _count);
                    }
                }

                return null;
            }

            Interlocked.Decrement(ref _count);
            taken.Add(order);
        }

        return taken;
    }

    // A new key counts; a kept one is replaced (and if it was taken in between, the copy is added and counted).
    private void Keep(OrderSaga copy)
    {
        while (true)
        {
            if (_byClientOrderId.TryAdd(copy.ClientOrderId, copy))
            {
                if (Interlocked.Increment(ref _count) > capacity)
                {
                    EvictATenth();
                }

                return;
            }

            if (_byClientOrderId.TryGetValue(copy.ClientOrderId, out var kept) && _byClientOrderId.TryUpdate(copy.ClientOrderId, copy, kept))
            {
                return;
            }
        }
    }

    private void Forget(string clientOrderId)
    {
        if (_byClientOrderId.TryRemove(clientOrderId, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    private void EvictATenth()
    {
        foreach (var clientOrderId in _byClientOrderId.Keys.Take(Math.Max(1, capacity / 10)))
        {
            Forget(clientOrderId);
        }
    }
}

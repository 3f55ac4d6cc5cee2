using System.Collections.Concurrent;

namespace OrderProcessor.Simulator.Market;

/// <summary>The reference price of every instrument: pinned by the control API, or the deterministic path at the current tick.</summary>
public sealed class MarketPrices
{
    private readonly ConcurrentDictionary<int, decimal> _pinned = new();
    private long _tick;

    public long Tick => Interlocked.Read(ref _tick);

    public decimal PriceOf(int conid) => _pinned.TryGetValue(conid, out var p) ? p : PricePath.At(conid, Tick);

    public void Advance() => Interlocked.Increment(ref _tick);

    public void Pin(int conid, decimal price) => _pinned[conid] = price;

    public void Unpin(int conid) => _pinned.TryRemove(conid, out _);

    public void Reset()
    {
        _pinned.Clear();
        Interlocked.Exchange(ref _tick, 0);
    }
}

using System.Collections.Concurrent;
using OrderProcessor.Simulator.Instruments;

namespace OrderProcessor.Simulator.Market;

/// <summary>
/// The reference price of every instrument: pinned by the control API, or the deterministic path at the current tick;
/// and its quote: pinned with the price, or one tick either side of it (so the midpoint is the reference price).
/// </summary>
public sealed class MarketPrices
{
    private readonly ConcurrentDictionary<int, decimal> _pinned = new();
    private readonly ConcurrentDictionary<int, Quote> _pinnedQuotes = new();
    private long _tick;

    public long Tick => Interlocked.Read(ref _tick);

    public decimal PriceOf(int conid) => _pinned.TryGetValue(conid, out var p) ? p : PricePath.At(conid, Tick);

    public Quote QuoteOf(int conid)
    {
        if (_pinnedQuotes.TryGetValue(conid, out var quote))
            return quote;
        var price = PriceOf(conid);
        var tick = InstrumentCatalog.Of(conid).TickSize;
        return new Quote(price - tick, price + tick);
    }

    public void Advance() => Interlocked.Increment(ref _tick);

    public void Pin(int conid, decimal price)
    {
        _pinned[conid] = price;
        _pinnedQuotes.TryRemove(conid, out _);
    }

    /// <summary>Pins the price and a quote around it (bid ≤ ask), e.g. to make a MIDPRICE fill differ from a market fill.</summary>
    public void Pin(int conid, decimal price, Quote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        _pinned[conid] = price;
        _pinnedQuotes[conid] = quote;
    }

    public void Unpin(int conid)
    {
        _pinned.TryRemove(conid, out _);
        _pinnedQuotes.TryRemove(conid, out _);
    }

    public void Reset()
    {
        _pinned.Clear();
        _pinnedQuotes.Clear();
        Interlocked.Exchange(ref _tick, 0);
    }
}

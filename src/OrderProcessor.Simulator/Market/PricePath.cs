using System.Globalization;
using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Market;

/// <summary>
/// The unpinned price of an instrument: a base and a phase, both from FNV-1a of the conid, and a ±2 % sine wave over 50
/// ticks. The base is between 20 and 200 for a stock, the catalog's <see cref="InstrumentSpec.BasePrice"/> for the others
/// (a future near 5,000, EUR.USD near 1.085); the price is rounded to the instrument's tick size. Same conid and tick,
/// same price, in every run.
/// </summary>
public static class PricePath
{
    public static decimal At(int conid, long tick)
    {
        var spec = InstrumentCatalog.Of(conid);
        var hash = Fnv1a.Hash(conid.ToString(CultureInfo.InvariantCulture));
        var basePrice = spec.BasePrice ?? 20m + (hash % 18_000u) / 100m;
        var phase = (hash >> 16) % 628u / 100.0;
        var wave = Math.Sin(tick * 2 * Math.PI / 50 + phase) * 0.02;
        return RoundToTick(basePrice * (1m + (decimal)wave), spec.TickSize);
    }

    /// <summary>The nearest multiple of <paramref name="tickSize"/> (midpoint away from zero).</summary>
    public static decimal RoundToTick(decimal price, decimal tickSize) =>
        Math.Round(price / tickSize, 0, MidpointRounding.AwayFromZero) * tickSize;
}

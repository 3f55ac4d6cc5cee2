using System.Globalization;
using OrderProcessor.Simulator.Users;

namespace OrderProcessor.Simulator.Market;

/// <summary>
/// The unpinned price of an instrument: a base between 20 and 200 and a phase, both from FNV-1a of the conid,
/// and a ±2 % sine wave over 50 ticks. Same conid and tick, same price, in every run.
/// </summary>
public static class PricePath
{
    public static decimal At(int conid, long tick)
    {
        var hash = Fnv1a.Hash(conid.ToString(CultureInfo.InvariantCulture));
        var basePrice = 20m + (hash % 18_000u) / 100m;
        var phase = (hash >> 16) % 628u / 100.0;
        var wave = Math.Sin(tick * 2 * Math.PI / 50 + phase) * 0.02;
        return Math.Round(basePrice * (1m + (decimal)wave), 2, MidpointRounding.AwayFromZero);
    }
}

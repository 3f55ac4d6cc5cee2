using System.Globalization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Made-up descriptive data of a conid (the simulator has no contract database).</summary>
public static class Instrument
{
    public static string TickerOf(int conid) => "SIM" + conid.ToString(CultureInfo.InvariantCulture);

    public static string CompanyOf(int conid) => "SIMULATED INSTRUMENT " + conid.ToString(CultureInfo.InvariantCulture);

    /// <summary>IBKR's order description, e.g. "Bought 10 Market, Day" or "Sell 5 Limit 101.50, GTC".</summary>
    public static string Describe(SimOrder o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var verb = o.Status == OrderStatuses.Filled ? (o.Side == "BUY" ? "Bought" : "Sold") : (o.Side == "BUY" ? "Buy" : "Sell");
        var price = o.Price is { } p ? " " + IbkrNumberFormat.Plain(p) : string.Empty;
        var tif = o.Tif switch { "DAY" => "Day", "GTC" => "GTC", _ => o.Tif };
        return $"{verb} {IbkrNumberFormat.Plain(o.Quantity)} {OrderTypes.DisplayName(o.OrderType)}{price}, {tif}";
    }
}

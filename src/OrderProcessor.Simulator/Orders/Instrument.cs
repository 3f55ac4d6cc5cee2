using System.Globalization;
using OrderProcessor.Simulator.Instruments;

namespace OrderProcessor.Simulator.Orders;

/// <summary>Descriptive data of a conid, from the catalog (<see cref="InstrumentCatalog"/>), as IBKR's answers show it.</summary>
public static class Instrument
{
    public static string TickerOf(int conid) => InstrumentCatalog.Of(conid).Symbol;

    public static string CompanyOf(int conid) => "SIMULATED INSTRUMENT " + conid.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// IBKR's order description, e.g. "Bought 10 Market, Day", "Sell 5 Limit 101.50, GTC", or for a cash-quantity order
    /// the cash: "Buy 500.00 USD Market, Day".
    /// </summary>
    public static string Describe(SimOrder o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var verb = o.Status == OrderStatuses.Filled ? (o.Side == "BUY" ? "Bought" : "Sold") : (o.Side == "BUY" ? "Buy" : "Sell");
        var price = o.Price is { } p ? " " + IbkrNumberFormat.Plain(p) : string.Empty;
        var tif = o.Tif switch { "DAY" => "Day", "GTC" => "GTC", _ => o.Tif };
        var size = o.CashQty is { } cash
            ? $"{cash.ToString("0.00", CultureInfo.InvariantCulture)} {o.Instrument.Currency}"
            : IbkrNumberFormat.Plain(o.Quantity);
        return $"{verb} {size} {OrderTypes.DisplayName(o.OrderType)}{price}, {tif}";
    }
}

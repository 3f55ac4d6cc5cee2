using System.Globalization;

namespace OrderProcessor.Simulator.Orders;

/// <summary>The number formats IBKR uses in what-if answers ("1,977.60", "116,965", "1").</summary>
public static class IbkrNumberFormat
{
    public static string Money(decimal value) => value.ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Whole(decimal value) =>
        Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("#,##0", CultureInfo.InvariantCulture);

    public static string Compact(decimal value) => value.ToString("#,##0.##", CultureInfo.InvariantCulture);

    public static string Quantity(decimal value) => value.ToString("#,##0.####", CultureInfo.InvariantCulture);

    public static string Plain(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}

namespace OrderProcessor.Simulator.Orders;

/// <summary>The order types, sides and times in force IBKR accepts (case-sensitive).</summary>
public static class OrderTypes
{
    public const string Market = "MKT";
    public const string Limit = "LMT";
    public const string Stop = "STP";
    public const string StopLimit = "STOP_LIMIT";
    public const string Trail = "TRAIL";
    public const string TrailLimit = "TRAILLMT";
    public const string MidPrice = "MIDPRICE";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
        { Market, Limit, Stop, StopLimit, Trail, TrailLimit, MidPrice };

    public static readonly IReadOnlySet<string> Sides = new HashSet<string>(StringComparer.Ordinal) { "BUY", "SELL" };

    public static readonly IReadOnlySet<string> TimesInForce = new HashSet<string>(StringComparer.Ordinal)
        { "DAY", "GTC", "IOC", "OPG", "PAX", "OVT", "OND" };

    /// <summary>Whether the order carries a limit price that the o163 price check looks at.</summary>
    public static bool HasLimitPrice(string orderType) => orderType is Limit or StopLimit or TrailLimit;

    /// <summary>Whether the order waits for a trigger (IBKR shows those as PreSubmitted until then).</summary>
    public static bool IsStopLike(string orderType) => orderType is Stop or StopLimit or Trail or TrailLimit;

    /// <summary>The names live orders use in <c>orderType</c>.</summary>
    public static string DisplayName(string orderType) => orderType switch
    {
        Market => "Market",
        Limit => "Limit",
        Stop => "Stop",
        StopLimit => "Stop Limit",
        Trail => "Trailing Stop",
        TrailLimit => "Trailing Stop Limit",
        MidPrice => "MidPrice",
        _ => orderType,
    };

    /// <summary>The names order status and <c>origOrderType</c> use.</summary>
    public static string UpperName(string orderType) => orderType switch
    {
        Market => "MARKET",
        Limit => "LIMIT",
        Stop => "STOP",
        StopLimit => "STOP_LIMIT",
        Trail => "TRAILING_STOP",
        TrailLimit => "TRAILING_STOP_LIMIT",
        _ => orderType,
    };
}

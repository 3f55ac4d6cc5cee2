using OrderProcessor.Brokerage.Ibkr;

namespace OrderProcessor.Execution.Work;

/// <summary>
/// How many days of IBKR's trades (<c>days</c>, today counting as one) reach back to a moment, and whether IBKR's limit
/// of 7 allows it. One day more than the UTC dates are apart: IBKR's day may end at another hour than UTC midnight.
/// </summary>
public readonly record struct TradeDays(int Days, bool CoversIt)
{
    public static TradeDays Covering(DateTimeOffset since, DateTimeOffset now)
    {
        var days = (int)(now.UtcDateTime.Date - since.UtcDateTime.Date).TotalDays + 2;
        return days <= IbkrLimits.MaxTradeDays ? new TradeDays(Math.Max(1, days), true) : new TradeDays(IbkrLimits.MaxTradeDays, false);
    }
}

using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// IBKR's MIDPRICE order works at the midpoint of the bid and ask, capped by an optional limit price (its prices are
/// <see cref="PriceRules"/>'). IBKR offers it for US stocks only, for the day or until cancelled.
/// </summary>
internal static class MidPriceRules
{
    public static void AddTo(ViolationList violations, TicketTerms terms)
    {
        if (TicketValidator.KnownType(terms) != OrderType.MidPrice)
        {
            return;
        }

        var p = terms.Field;
        if (TicketValidator.KnownSecurityType(terms) is { } securityType && securityType != SecurityType.Stock)
        {
            violations.Add(p + "orderType", "midprice-security-type",
                $"{p}orderType MIDPRICE is only for STK orders (this one is {ViolationList.Wire(securityType)}).");
        }

        if (TicketValidator.KnownTimeInForce(terms) is { } tif && tif is not (TimeInForce.Day or TimeInForce.GoodTillCancelled))
        {
            violations.Add(p + "timeInForce", "midprice-time-in-force",
                $"{p}timeInForce {ViolationList.Wire(tif)} is not taken by a MIDPRICE order: DAY or GTC.");
        }
    }
}

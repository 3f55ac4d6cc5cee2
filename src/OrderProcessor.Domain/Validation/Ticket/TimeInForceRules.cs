using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The times in force that only some orders take: the opening auction (OPG) for MKT and LMT; IBKR's overnight session
/// (OVT, OND) for stock limit orders; PAX, IBKR's time in force for cryptocurrency orders, not at all.
/// </summary>
internal static class TimeInForceRules
{
    public static void AddTo(ViolationList violations, TicketTerms terms)
    {
        if (TicketValidator.KnownTimeInForce(terms) is not { } tif)
        {
            return;
        }

        var p = terms.Field;
        var type = TicketValidator.KnownType(terms);
        var name = ViolationList.Wire(tif);
        switch (tif)
        {
            case TimeInForce.AtTheOpening when type is { } t && t is not (OrderType.Market or OrderType.Limit):
                violations.Add(p + "timeInForce", "opg-market-or-limit", $"{p}timeInForce OPG is only allowed for MKT and LMT orders.");
                break;
            case TimeInForce.Overnight or TimeInForce.OvernightPlusDay:
                if (type is { } overnightType && overnightType != OrderType.Limit)
                {
                    violations.Add(p + "timeInForce", "overnight-order-type",
                        $"{p}timeInForce {name} is only for LMT orders (this one is {ViolationList.Wire(overnightType)}): IBKR's overnight session takes limit orders only.");
                }

                if (TicketValidator.KnownSecurityType(terms) is { } securityType && securityType != SecurityType.Stock)
                {
                    violations.Add(p + "timeInForce", "overnight-security-type",
                        $"{p}timeInForce {name} is only for STK orders (this one is {ViolationList.Wire(securityType)}): IBKR's overnight session trades US stocks and ETFs.");
                }

                break;
            case TimeInForce.Pax:
                violations.Add(p + "timeInForce", "not-supported",
                    $"{p}timeInForce PAX is IBKR's time in force for cryptocurrency orders (routed to PAXOS); crypto is not a security type this service takes.");
                break;
        }
    }
}

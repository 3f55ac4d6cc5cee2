using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// All-or-none (IBKR's <c>allOrNone</c>): the whole quantity in one fill or nothing. Not with IOC: IBKR cancels an
/// all-or-none IOC order that cannot fill whole at once, so the pair is an order that is usually just cancelled; this
/// service refuses it so the sender chooses one meaning. Not for currencies, whose IDEALPRO orders IBKR fills in parts.
/// </summary>
internal static class AllOrNoneRules
{
    public static void AddTo(ViolationList violations, TicketTerms terms)
    {
        if (!terms.AllOrNone)
        {
            return;
        }

        var p = terms.Field;
        if (TicketValidator.KnownTimeInForce(terms) == TimeInForce.ImmediateOrCancel)
        {
            violations.Add(p + "allOrNone", "all-or-none-ioc",
                $"{p}allOrNone cannot be combined with timeInForce IOC: IBKR cancels an all-or-none IOC order that cannot fill whole at once; send one or the other.");
        }

        if (TicketValidator.KnownSecurityType(terms) == SecurityType.Currency)
        {
            violations.Add(p + "allOrNone", "all-or-none-security-type", $"{p}allOrNone is not taken for CASH (forex) orders.");
        }
    }
}

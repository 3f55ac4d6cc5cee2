using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// How much an order trades: a quantity of units or a cash amount (IBKR's <c>cashQty</c>), exactly one of the two.
/// Fractions of a unit exist at IBKR for stocks and currencies only; a cash amount is converted by IBKR into a
/// fractional quantity, so it is allowed where fractions are, and only for the order types IBKR sizes from cash.
/// </summary>
internal static class QuantityRules
{
    public static void AddTo(ViolationList violations, TicketTerms terms)
    {
        var p = terms.Field;
        var securityType = TicketValidator.KnownSecurityType(terms);
        var typeName = securityType is { } s ? ViolationList.Wire(s) : null;
        switch (terms.Quantity, terms.CashQuantity)
        {
            case (null, null) when p.Length == 0:
                violations.Add("quantity", "quantity-or-cash-quantity", "quantity or cashQuantity is required: exactly one of the two.");
                break;
            case (null, null):
                // A leg or an OCA member has no cash quantity of its own: its size is a quantity.
                violations.Add(p + "quantity", "required", $"{p}quantity is required.");
                break;
            case ({ }, { }):
                violations.Add(p + "cashQuantity", "quantity-or-cash-quantity", $"{p}cashQuantity cannot be given together with {p}quantity: exactly one of the two.");
                break;
        }

        if (terms.Quantity is { } quantity
            && violations.CheckNumber(p + "quantity", quantity, OrderLimits.MaxQuantity, OrderLimits.MaxQuantityDecimals)
            && decimal.Truncate(quantity) != quantity
            && securityType is SecurityType.Option or SecurityType.Future)
        {
            violations.Add(p + "quantity", "fractional-security-type",
                $"{p}quantity must be a whole number for {typeName} orders (was {quantity}): IBKR trades fractions of stocks (STK) and currencies (CASH) only.");
        }

        if (terms.CashQuantity is not { } cash)
        {
            return;
        }

        violations.CheckNumber(p + "cashQuantity", cash, OrderLimits.MaxCashQuantity, OrderLimits.MaxCashQuantityDecimals);
        if (TicketValidator.KnownType(terms) is { } type && type is not (OrderType.Market or OrderType.Limit))
        {
            violations.Add(p + "cashQuantity", "cash-quantity-order-type",
                $"{p}cashQuantity is only for MKT and LMT orders (this one is {ViolationList.Wire(type)}): IBKR sizes no other order type from a cash amount.");
        }

        if (securityType is SecurityType.Option or SecurityType.Future)
        {
            violations.Add(p + "cashQuantity", "cash-quantity-security-type",
                $"{p}cashQuantity is only for STK and CASH orders (this one is {typeName}): IBKR fills a cash amount in fractional units, which options and futures do not have.");
        }
    }
}

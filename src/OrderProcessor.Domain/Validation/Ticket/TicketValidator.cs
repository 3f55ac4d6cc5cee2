using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Checks one order's <see cref="TicketTerms"/> against the rules of IBKR's order ticket and of this service, whichever
/// command the order came in (a PlaceOrder, a bracket leg, an OCA member, a MarginCheck). Each violation names the
/// field with <see cref="TicketTerms.Field"/> as prefix and the rule it breaks (the README's order-type table lists
/// them). The rules of a group (ids, bracket sides, OCA counts) are <see cref="PlaceOrderValidator"/>'s. Pure code.
/// </summary>
public static class TicketValidator
{
    public static IReadOnlyList<FieldViolation> Validate(TicketTerms terms)
    {
        var violations = new ViolationList();
        AddTo(violations, terms);
        return violations;
    }

    internal static void AddTo(ViolationList violations, TicketTerms terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var p = terms.Field;
        if (terms.Conid is null)
        {
            violations.Add(p + "conid", "required", $"{p}conid is required (IBKR contract id).");
        }
        else if (terms.Conid <= 0)
        {
            violations.Add(p + "conid", "positive", $"{p}conid must be a positive IBKR contract id.");
        }

        violations.RequireEnum(p + "side", terms.Side);
        QuantityRules.AddTo(violations, terms);
        violations.RequireEnum(p + "orderType", terms.OrderType);
        violations.KnownEnum(p + "timeInForce", terms.TimeInForce);
        violations.KnownEnum(p + "securityType", terms.SecurityType);
        PriceRules.AddTo(violations, terms);
        InstrumentRules.AddTo(violations, terms);
        AlgoRules.AddTo(violations, terms);
        TimeInForceRules.AddTo(violations, terms);
        MidPriceRules.AddTo(violations, terms);
        AllOrNoneRules.AddTo(violations, terms);
    }

    /// <summary>The order type when it is one this service knows; null when absent or unrecognised (already refused).</summary>
    internal static OrderType? KnownType(TicketTerms terms) =>
        terms.OrderType is { } type && Enum.IsDefined(type) ? type : null;

    /// <summary>The asset class when it is one this service knows (STK when left out); null when unrecognised (already refused).</summary>
    internal static SecurityType? KnownSecurityType(TicketTerms terms) =>
        Enum.IsDefined(terms.EffectiveSecurityType) ? terms.EffectiveSecurityType : null;

    /// <summary>The time in force when given and known; null otherwise (a MarginCheck may leave it out: DAY).</summary>
    internal static TimeInForce? KnownTimeInForce(TicketTerms terms) =>
        terms.TimeInForce is { } tif && Enum.IsDefined(tif) ? tif : null;
}

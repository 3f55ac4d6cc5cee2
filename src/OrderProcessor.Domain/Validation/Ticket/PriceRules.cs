using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The prices each order type carries: a limit (LMT, STOP_LIMIT, TRAILLMT; an optional cap for MIDPRICE), a stop (STP,
/// STOP_LIMIT, TRAIL, TRAILLMT), a trailing amount and its unit (TRAIL, TRAILLMT), and a stop-limit whose limit is on
/// the side of its stop that can fill. A price an order type does not take is refused rather than dropped: a price the
/// sender wrote and IBKR never saw would be a silent change of the order.
/// </summary>
internal static class PriceRules
{
    public static void AddTo(ViolationList violations, TicketTerms terms)
    {
        if (TicketValidator.KnownType(terms) is not { } type)
        {
            return;
        }

        var p = terms.Field;
        var limit = type switch
        {
            OrderType.Limit or OrderType.StopLimit or OrderType.TrailingStopLimit => PriceUse.Required,
            OrderType.MidPrice => PriceUse.Optional,
            _ => PriceUse.NotAllowed,
        };
        var needsStop = type is OrderType.Stop or OrderType.StopLimit or OrderType.TrailingStop or OrderType.TrailingStopLimit;
        var needsTrailing = type is OrderType.TrailingStop or OrderType.TrailingStopLimit;
        var typeName = ViolationList.Wire(type);

        violations.PriceFor(p + "limitPrice", terms.LimitPrice, limit, typeName);
        violations.PriceFor(p + "stopPrice", terms.StopPrice, needsStop ? PriceUse.Required : PriceUse.NotAllowed, typeName);
        violations.PriceFor(p + "trailingAmount", terms.TrailingAmount, needsTrailing ? PriceUse.Required : PriceUse.NotAllowed, typeName);

        if (needsTrailing)
        {
            if (terms.TrailingUnit is null)
            {
                violations.Add(p + "trailingUnit", "required", $"{p}trailingUnit is required for {typeName}: one of {ViolationList.Names<TrailingUnit>()}.");
            }
            else if (!Enum.IsDefined(terms.TrailingUnit.Value))
            {
                violations.Add(p + "trailingUnit", "one-of", $"{p}trailingUnit is not recognised: expected one of {ViolationList.Names<TrailingUnit>()}.");
            }
            else if (terms.TrailingUnit == TrailingUnit.Percent && terms.TrailingAmount is >= 100m)
            {
                violations.Add(p + "trailingAmount", "percent-below-100", $"{p}trailingAmount in % must be below 100.");
            }
        }
        else if (terms.TrailingUnit is not null)
        {
            violations.Add(p + "trailingUnit", "not-allowed", $"{p}trailingUnit is not allowed for {typeName}.");
        }

        if (type == OrderType.StopLimit && terms.LimitPrice is { } limitPrice && terms.StopPrice is { } stop && terms.Side is { } side && Enum.IsDefined(side))
        {
            var inconsistent = side == OrderSide.Buy ? limitPrice < stop : limitPrice > stop;
            if (inconsistent)
            {
                violations.Add(p + "limitPrice", "stop-limit-order",
                    side == OrderSide.Buy
                        ? $"{p}limitPrice must be at or above stopPrice for a BUY STOP_LIMIT."
                        : $"{p}limitPrice must be at or below stopPrice for a SELL STOP_LIMIT.");
            }
        }
    }
}

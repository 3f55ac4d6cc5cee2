using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Checks a <see cref="ModifyOrder"/> against the order it changes.</summary>
public static class ModifyOrderValidator
{
    public static IReadOnlyList<FieldViolation> Validate(OrderSaga order, ModifyOrder command)
    {
        var violations = new List<FieldViolation>();
        if (command is { Quantity: null, LimitPrice: null, StopPrice: null, TrailingAmount: null, TimeInForce: null })
        {
            violations.Add(new FieldViolation("quantity", "nothing-to-change", "quantity, limitPrice, stopPrice, trailingAmount or timeInForce must be given: nothing would change."));
        }

        // A cash-quantity order has no quantity of its own (the saga keeps its cash amount; IBKR sized it): there is
        // nothing to change the quantity of, and a quantity sent to IBKR would turn it into another order.
        var cashOrder = order.CashQuantity is not null;
        if (cashOrder && command.Quantity is not null)
        {
            violations.Add(new FieldViolation("quantity", "cash-quantity-order",
                "quantity cannot be modified on a cash-quantity order: IBKR sized it from its cash amount. Its limitPrice can be modified; to trade another amount, cancel it and place a new order."));
        }
        else
        {
            Check(violations, "quantity", command.Quantity, OrderLimits.MaxQuantity, OrderLimits.MaxQuantityDecimals, allowed: true, order.OrderType);
        }

        var type = order.OrderType ?? OrderType.Market;
        Check(violations, "limitPrice", command.LimitPrice, OrderLimits.MaxPrice, OrderLimits.MaxPriceDecimals,
            type is OrderType.Limit or OrderType.StopLimit or OrderType.TrailingStopLimit or OrderType.MidPrice, type);
        Check(violations, "stopPrice", command.StopPrice, OrderLimits.MaxPrice, OrderLimits.MaxPriceDecimals,
            type is OrderType.Stop or OrderType.StopLimit or OrderType.TrailingStop or OrderType.TrailingStopLimit, type);
        Check(violations, "trailingAmount", command.TrailingAmount, OrderLimits.MaxPrice, OrderLimits.MaxPriceDecimals,
            type is OrderType.TrailingStop or OrderType.TrailingStopLimit, type);
        if (!cashOrder && command.Quantity is { } quantity && quantity < order.FilledQuantity)
        {
            violations.Add(new FieldViolation("quantity", "at-least-filled", $"quantity must be at least what is already filled ({order.FilledQuantity})."));
        }

        if (command.TimeInForce is { } tif && !Enum.IsDefined(tif))
        {
            violations.Add(new FieldViolation("timeInForce", "one-of", $"timeInForce is not recognised: expected one of {string.Join(", ", LenientEnumConverter<TimeInForce>.Names)}."));
        }
        else if (command.TimeInForce is not null || (command.Quantity is not null && !cashOrder))
        {
            // The order as the change leaves it must still be a ticket a new order could be: its time in force by the
            // rules of a new order (OPG, OVT/OND, PAX, MIDPRICE's DAY/GTC, all-or-none not with IOC) for its security
            // type, and its quantity in whole units for futures and options. The whole ticket is resent to IBKR.
            var terms = order.Terms() with
            {
                Quantity = command.Quantity ?? order.Quantity,
                TimeInForce = command.TimeInForce ?? order.TimeInForce,
            };
            var list = new ViolationList();
            if (command.Quantity is not null && !violations.Any(v => v.Field == "quantity"))
            {
                QuantityRules.AddTo(list, terms);
            }

            if (command.TimeInForce is not null)
            {
                TimeInForceRules.AddTo(list, terms);
                MidPriceRules.AddTo(list, terms);
                AllOrNoneRules.AddTo(list, terms);
            }

            violations.AddRange(list.Where(v => !violations.Any(known => known.Field == v.Field && known.Rule == v.Rule)));
        }

        return violations;
    }

    private static void Check(List<FieldViolation> violations, string field, decimal? value, decimal max, int decimals, bool allowed, OrderType? type)
    {
        if (value is not { } v)
        {
            return;
        }

        if (!allowed)
        {
            violations.Add(new FieldViolation(field, "not-allowed", $"{field} does not apply to a {LenientEnumConverter<OrderType>.WireName(type ?? OrderType.Market)} order."));
        }
        else if (v <= 0)
        {
            violations.Add(new FieldViolation(field, "positive", $"{field} must be greater than 0 (was {v})."));
        }
        else if (v > max)
        {
            violations.Add(new FieldViolation(field, "max", $"{field} must be at most {max} (was {v})."));
        }
        else if (decimal.Round(v, decimals) != v)
        {
            violations.Add(new FieldViolation(field, "max-decimals", $"{field} must have at most {decimals} decimals (was {v})."));
        }
    }
}

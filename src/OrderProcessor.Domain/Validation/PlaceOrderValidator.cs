using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Checks a <see cref="PlaceOrder"/> against the rules of IBKR's order ticket and of this service. Every violation
/// names the field as it is spelled in the JSON message and the rule it breaks.
/// </summary>
public static class PlaceOrderValidator
{
    public static IReadOnlyList<FieldViolation> Validate(PlaceOrder command)
    {
        var violations = new ViolationList();

        if (command.OrderId == Guid.Empty)
        {
            violations.Add("orderId", "required", "orderId is required and must not be the empty GUID.");
        }

        violations.RequireId("userId", command.UserId);
        violations.RequireId("accountId", command.AccountId);
        ValidateTicket(violations, string.Empty, command.Conid, command.Side, command.Quantity, command.OrderType,
            command.LimitPrice, command.StopPrice, command.TrailingAmount, command.TrailingUnit);

        if (command.TimeInForce is null)
        {
            violations.Add("timeInForce", "required", $"timeInForce is required: one of {Names<TimeInForce>()}.");
        }
        else if (!Enum.IsDefined(command.TimeInForce.Value))
        {
            violations.Add("timeInForce", "one-of", $"timeInForce is not recognised: expected one of {Names<TimeInForce>()}.");
        }
        else if (command.TimeInForce == TimeInForce.AtTheOpening && command.OrderType is not (OrderType.Market or OrderType.Limit))
        {
            violations.Add("timeInForce", "opg-market-or-limit", "timeInForce OPG is only allowed for MKT and LMT orders.");
        }

        if (!Enum.IsDefined(command.MarginCheck))
        {
            violations.Add("marginCheck", "one-of", $"marginCheck is not recognised: expected one of {Names<MarginCheckPolicy>()}.");
        }

        ValidateBracket(violations, command);
        ValidateOcaGroup(violations, command);
        return ViolationCap.Apply(violations.ToList());
    }

    private static void ValidateTicket(ViolationList violations, string prefix, int? conid, OrderSide? side,
        decimal? quantity, OrderType? orderType, decimal? limitPrice, decimal? stopPrice, decimal? trailingAmount,
        TrailingUnit? trailingUnit)
    {
        if (conid is null)
        {
            violations.Add(prefix + "conid", "required", $"{prefix}conid is required (IBKR contract id).");
        }
        else if (conid <= 0)
        {
            violations.Add(prefix + "conid", "positive", $"{prefix}conid must be a positive IBKR contract id.");
        }

        violations.RequireEnum(prefix + "side", side);
        violations.RequireNumber(prefix + "quantity", quantity, OrderLimits.MaxQuantity, OrderLimits.MaxQuantityDecimals);
        violations.RequireEnum(prefix + "orderType", orderType);
        if (orderType is not { } type || !Enum.IsDefined(type))
        {
            return;
        }

        var needsLimit = type is OrderType.Limit or OrderType.StopLimit or OrderType.TrailingStopLimit;
        var needsStop = type is OrderType.Stop or OrderType.StopLimit or OrderType.TrailingStop or OrderType.TrailingStopLimit;
        var needsTrailing = type is OrderType.TrailingStop or OrderType.TrailingStopLimit;
        var typeName = LenientEnumConverter<OrderType>.WireName(type);

        violations.PriceFor(prefix + "limitPrice", limitPrice, needsLimit, typeName);
        violations.PriceFor(prefix + "stopPrice", stopPrice, needsStop, typeName);
        violations.PriceFor(prefix + "trailingAmount", trailingAmount, needsTrailing, typeName);

        if (needsTrailing)
        {
            if (trailingUnit is null)
            {
                violations.Add(prefix + "trailingUnit", "required", $"{prefix}trailingUnit is required for {typeName}: one of {Names<TrailingUnit>()}.");
            }
            else if (!Enum.IsDefined(trailingUnit.Value))
            {
                violations.Add(prefix + "trailingUnit", "one-of", $"{prefix}trailingUnit is not recognised: expected one of {Names<TrailingUnit>()}.");
            }
            else if (trailingUnit == TrailingUnit.Percent && trailingAmount is >= 100m)
            {
                violations.Add(prefix + "trailingAmount", "percent-below-100", $"{prefix}trailingAmount in % must be below 100.");
            }
        }
        else if (trailingUnit is not null)
        {
            violations.Add(prefix + "trailingUnit", "not-allowed", $"{prefix}trailingUnit is not allowed for {typeName}.");
        }

        if (type == OrderType.StopLimit && limitPrice is { } limit && stopPrice is { } stop && side is { } s && Enum.IsDefined(s))
        {
            var inconsistent = s == OrderSide.Buy ? limit < stop : limit > stop;
            if (inconsistent)
            {
                violations.Add(prefix + "limitPrice", "stop-limit-order",
                    s == OrderSide.Buy
                        ? $"{prefix}limitPrice must be at or above stopPrice for a BUY STOP_LIMIT."
                        : $"{prefix}limitPrice must be at or below stopPrice for a SELL STOP_LIMIT.");
            }
        }
    }

    private static void ValidateBracket(ViolationList violations, PlaceOrder command)
    {
        if (command.StopLoss is null && command.TakeProfit is null)
        {
            return;
        }

        if (command.OcaGroup is not null)
        {
            violations.Add("ocaGroup", "not-with-bracket", "ocaGroup cannot be combined with stopLoss or takeProfit.");
        }

        var reference = command.OrderType == OrderType.Limit ? command.LimitPrice : null;
        if (command.OrderType is not (OrderType.Market or OrderType.Limit))
        {
            violations.Add("orderType", "bracket-parent", "orderType must be MKT or LMT for a bracket parent (an order with stopLoss or takeProfit).");
        }

        var ids = new HashSet<Guid> { command.OrderId };
        ValidateLeg(violations, "stopLoss", command.StopLoss, ids);
        ValidateLeg(violations, "takeProfit", command.TakeProfit, ids);

        var buying = command.Side == OrderSide.Buy;
        if (command.StopLoss?.Price is { } stopLoss && reference is { } entry && (buying ? stopLoss >= entry : stopLoss <= entry))
        {
            violations.Add("stopLoss.price", "bracket-side",
                $"stopLoss.price must be {(buying ? "below" : "above")} the parent's limitPrice for a {(buying ? "BUY" : "SELL")} bracket.");
        }

        if (command.TakeProfit?.Price is { } takeProfit && reference is { } parentLimit && (buying ? takeProfit <= parentLimit : takeProfit >= parentLimit))
        {
            violations.Add("takeProfit.price", "bracket-side",
                $"takeProfit.price must be {(buying ? "above" : "below")} the parent's limitPrice for a {(buying ? "BUY" : "SELL")} bracket.");
        }

        if (command.StopLoss?.Price is { } sl && command.TakeProfit?.Price is { } tp && (buying ? sl >= tp : sl <= tp))
        {
            violations.Add("stopLoss.price", "bracket-order",
                $"stopLoss.price must be {(buying ? "below" : "above")} takeProfit.price for a {(buying ? "BUY" : "SELL")} bracket.");
        }
    }

    private static void ValidateLeg(ViolationList violations, string field, AttachedOrder? leg, HashSet<Guid> ids)
    {
        if (leg is null)
        {
            return;
        }

        if (leg.OrderId == Guid.Empty)
        {
            violations.Add(field + ".orderId", "required", $"{field}.orderId is required: the leg is tracked as its own order.");
        }
        else if (!ids.Add(leg.OrderId))
        {
            violations.Add(field + ".orderId", "unique", $"{field}.orderId must differ from the parent's and the other leg's order ids.");
        }

        violations.RequireNumber(field + ".price", leg.Price, OrderLimits.MaxPrice, OrderLimits.MaxPriceDecimals);
    }

    private static void ValidateOcaGroup(ViolationList violations, PlaceOrder command)
    {
        if (command.OcaGroup is not { } group)
        {
            return;
        }

        violations.RequireId("ocaGroup.name", group.Name);
        if (group.Orders is not { Count: > 0 } orders)
        {
            violations.Add("ocaGroup.orders", "required", "ocaGroup.orders must name at least one other order.");
            return;
        }

        if (orders.Count > OrderLimits.MaxOcaOrders)
        {
            // Counts first: the orders of a group too large are not looked at one by one, so 50,000 empty legs cost
            // one violation, not 50,000 times a few.
            violations.Add("ocaGroup.orders", "max-count", $"ocaGroup.orders may hold at most {OrderLimits.MaxOcaOrders} orders (it holds {orders.Count}).");
            return;
        }

        var ids = new HashSet<Guid> { command.OrderId };
        for (var i = 0; i < orders.Count; i++)
        {
            var prefix = $"ocaGroup.orders[{i}].";
            var leg = orders[i];
            if (leg is null)
            {
                violations.Add($"ocaGroup.orders[{i}]", "required", $"ocaGroup.orders[{i}] must not be null.");
                continue;
            }

            if (leg.OrderId == Guid.Empty)
            {
                violations.Add(prefix + "orderId", "required", $"{prefix}orderId is required: each order of the group is tracked as its own order.");
            }
            else if (!ids.Add(leg.OrderId))
            {
                violations.Add(prefix + "orderId", "unique", $"{prefix}orderId must differ from every other order id of the group.");
            }

            ValidateTicket(violations, prefix, leg.Conid ?? command.Conid, leg.Side, leg.Quantity, leg.OrderType,
                leg.LimitPrice, leg.StopPrice, leg.TrailingAmount, leg.TrailingUnit);
        }
    }

    private static string Names<TEnum>()
        where TEnum : struct, Enum => string.Join(", ", LenientEnumConverter<TEnum>.Names);

    private sealed class ViolationList : List<FieldViolation>
    {
        public void Add(string field, string rule, string message) => Add(new FieldViolation(field, rule, message));

        public void RequireId(string field, string? value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Add(field, "required", $"{field} is required.");
            }
            else if (value.Length > OrderLimits.MaxIdLength)
            {
                Add(field, "max-length", $"{field} must be at most {OrderLimits.MaxIdLength} characters.");
            }
            else if (value.Any(char.IsControl) || value.Trim() != value)
            {
                Add(field, "printable", $"{field} must not contain control characters or surrounding spaces.");
            }
        }

        public void RequireEnum<TEnum>(string field, TEnum? value)
            where TEnum : struct, Enum
        {
            if (value is null)
            {
                Add(field, "required", $"{field} is required: one of {Names<TEnum>()}.");
            }
            else if (!Enum.IsDefined(value.Value))
            {
                Add(field, "one-of", $"{field} is not recognised: expected one of {Names<TEnum>()}.");
            }
        }

        public void RequireNumber(string field, decimal? value, decimal max, int maxDecimals)
        {
            if (value is null)
            {
                Add(field, "required", $"{field} is required.");
            }
            else
            {
                CheckNumber(field, value.Value, max, maxDecimals);
            }
        }

        public void PriceFor(string field, decimal? value, bool required, string orderType)
        {
            if (value is null)
            {
                if (required)
                {
                    Add(field, "required", $"{field} is required for {orderType} orders.");
                }
            }
            else if (!required)
            {
                Add(field, "not-allowed", $"{field} is not allowed for {orderType} orders.");
            }
            else
            {
                CheckNumber(field, value.Value, OrderLimits.MaxPrice, OrderLimits.MaxPriceDecimals);
            }
        }

        private void CheckNumber(string field, decimal value, decimal max, int maxDecimals)
        {
            if (value <= 0)
            {
                Add(field, "positive", $"{field} must be greater than 0 (was {value}).");
            }
            else if (value > max)
            {
                Add(field, "max", $"{field} must be at most {max} (was {value}).");
            }
            else if (value.Scale > maxDecimals && decimal.Round(value, maxDecimals) != value)
            {
                Add(field, "max-decimals", $"{field} must have at most {maxDecimals} decimals (was {value}).");
            }
        }
    }
}

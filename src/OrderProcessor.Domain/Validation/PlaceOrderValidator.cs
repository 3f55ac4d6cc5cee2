using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Checks a <see cref="PlaceOrder"/> against the rules of IBKR's order ticket and of this service. Every violation
/// names the field as it is spelled in the JSON message and the rule it breaks. Each order of the command (the order
/// itself, its bracket legs, its OCA members) is checked by <see cref="TicketValidator"/> from its
/// <see cref="TicketTerms"/>; the rules of the group (ids, bracket sides, OCA counts) are checked here.
/// </summary>
public static class PlaceOrderValidator
{
    /// <summary>The fields an OCA member carries itself; the rest it takes from the order that names the group.</summary>
    private static readonly HashSet<string> OcaMemberFields =
        ["conid", "side", "quantity", "orderType", "limitPrice", "stopPrice", "trailingAmount", "trailingUnit"];

    public static IReadOnlyList<FieldViolation> Validate(PlaceOrder command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var violations = new ViolationList();

        if (command.OrderId == Guid.Empty)
        {
            violations.Add("orderId", "required", "orderId is required and must not be the empty GUID.");
        }

        violations.RequireId("userId", command.UserId);
        violations.RequireId("accountId", command.AccountId);
        TicketValidator.AddTo(violations, TicketTerms.Of(command));

        if (command.TimeInForce is null)
        {
            violations.Add("timeInForce", "required", $"timeInForce is required: one of {ViolationList.Names<TimeInForce>()}.");
        }

        if (!Enum.IsDefined(command.MarginCheck))
        {
            violations.Add("marginCheck", "one-of", $"marginCheck is not recognised: expected one of {ViolationList.Names<MarginCheckPolicy>()}.");
        }

        if (command.CashQuantity is not null && (command.StopLoss is not null || command.TakeProfit is not null || command.OcaGroup is not null))
        {
            violations.Add("cashQuantity", "cash-quantity-not-in-group",
                "cashQuantity cannot be used with stopLoss, takeProfit or ocaGroup: the other orders of a group need a quantity, which a cash order only has once IBKR has filled it.");
        }

        ValidateBracket(violations, command);
        ValidateOcaGroup(violations, command);
        return ViolationCap.Apply(violations.ToList());
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
        ValidateLeg(violations, "stopLoss", command.StopLoss, command, ids);
        ValidateLeg(violations, "takeProfit", command.TakeProfit, command, ids);

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

    private static void ValidateLeg(ViolationList violations, string field, AttachedOrder? leg, PlaceOrder parent, HashSet<Guid> ids)
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

        // The leg is a STP (stop-loss) or LMT (take-profit) at its price; everything else is the parent's. Its price is
        // the only field the leg spells itself.
        var stopLoss = field == "stopLoss";
        var terms = TicketTerms.Of(leg, parent, stopLoss);
        AddMember(violations, terms, new Dictionary<string, string> { [stopLoss ? "stopPrice" : "limitPrice"] = "price" }, ignored: "quantity");
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

            // A member names no security type of its own: on another contract it is taken for a stock. In a group of
            // futures, options or currencies that guess would send a ticket without what IBKR needs (a future's manual
            // indicator, a currency's route), so such a group keeps to its own contract.
            if (leg.Conid is { } memberConid && memberConid != command.Conid && command.SecurityType is { } groupType && groupType != SecurityType.Stock && Enum.IsDefined(groupType))
            {
                violations.Add(prefix + "conid", "oca-other-contract-security-type",
                    $"{prefix}conid must be the group's conid in a {LenientEnumConverter<SecurityType>.WireName(groupType)} group: an OCA member has no security type of its own, so one on another contract could only be sent as a stock.");
            }

            AddMember(violations, TicketTerms.Of(leg, command, i), OcaMemberFields.ToDictionary(f => f, f => f), ignored: null);
        }
    }

    /// <summary>
    /// The violations of another order of the group. A field the member spells itself is named by its own path (the
    /// member's prefix and <paramref name="ownFields"/>' JSON name); a field it takes from the order that names the
    /// group (its time in force, security type, ...) is named as the sender spelled it, the parent's field, and is
    /// not repeated when the parent already broke the same rule. <paramref name="ignored"/>: a field judged on the
    /// parent alone.
    /// </summary>
    private static void AddMember(ViolationList violations, TicketTerms terms, IReadOnlyDictionary<string, string> ownFields, string? ignored)
    {
        var prefix = terms.Field;
        foreach (var violation in TicketValidator.Validate(terms))
        {
            var local = violation.Field[prefix.Length..];
            var root = local.Split('.')[0];
            if (root == ignored)
            {
                continue;
            }

            var mapped = ownFields.TryGetValue(root, out var own)
                ? violation with
                {
                    Field = prefix + own + local[root.Length..],
                    Message = violation.Message.Replace(prefix + root, prefix + own, StringComparison.Ordinal),
                }
                : violation with { Field = local };
            if (!violations.Has(mapped.Field, mapped.Rule))
            {
                violations.Add(mapped);
            }
        }
    }
}

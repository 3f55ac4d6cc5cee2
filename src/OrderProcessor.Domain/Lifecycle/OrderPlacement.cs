using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Placing orders: a PlaceOrder creates the order (and its bracket legs or OCA members) or is recognised as a repeat;
/// a CancelOrder that arrives before its PlaceOrder is kept and wins when the order arrives. Pure code.
/// </summary>
public static class OrderPlacement
{
    /// <summary>
    /// Decides what a <see cref="PlaceOrder"/> does: a valid order is accepted with its IBKR work due at once (the margin
    /// check or the submission); bracket legs and OCA members are accepted as orders of their own, carried by its submission.
    /// Given the orders that already exist under any of the ids it names, and a cancel of the order that arrived first.
    /// A valid order that the pre-trade risk controls refused (<paramref name="risk"/>) is created Rejected with the
    /// verdict's code and reason, nothing ever due (as a validation failure is).
    /// </summary>
    public static OrderDecision Place(PlaceOrder command, string fingerprint, IReadOnlyDictionary<Guid, OrderSaga> existing, EventStamp stamp,
        IReadOnlyDictionary<Guid, EarlyCancel>? earlyCancels = null, RiskVerdict? risk = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(existing);
        if (command.OrderId != Guid.Empty && existing.TryGetValue(command.OrderId, out var order))
        {
            return order.CommandFingerprint == fingerprint
                ? OrderDecision.Nothing
                : new OrderDecision().Emit(order, Rejection(order, command, stamp, RejectionReasonCode.ConflictingDuplicate,
                    $"order {command.OrderId} already exists with different content; the existing order is unaffected.", []));
        }

        var found = PlaceOrderValidator.Validate(command).ToList();
        foreach (var (field, id) in LegIds(command))
        {
            if (existing.ContainsKey(id))
            {
                found.Add(new FieldViolation(field, "unused-id", $"{field} {id} is already the id of another order."));
            }
        }

        var violations = ViolationCap.Apply(found);

        if (command.OrderId == Guid.Empty)
        {
            var orphan = new OrderRejected
            {
                OrderId = Guid.Empty,
                Sequence = 0,
                OccurredAt = stamp.At,
                CorrelationId = stamp.CorrelationId,
                CausationId = stamp.CausationId,
                ReasonCode = RejectionReasonCode.ValidationFailed,
                Reason = Describe(violations),
                Violations = violations,
                Command = nameof(PlaceOrder),
                UserId = OrderLimits.Clip(command.UserId),
                AccountId = OrderLimits.Clip(command.AccountId),
            };
            return new OrderDecision().Emit(null, orphan);
        }

        var parent = NewOrder(command.OrderId, command, fingerprint, stamp);
        // Only the command's own order trades a cash amount (validation keeps it out of brackets and OCA groups).
        parent.CashQuantity = command.CashQuantity;
        if (violations.Count > 0)
        {
            parent.Status = OrderStatus.Rejected;
            parent.LastReason = Describe(violations);
            return new OrderDecision().Create(parent)
                .Emit(parent, Rejection(parent, command, stamp, RejectionReasonCode.ValidationFailed, parent.LastReason, violations));
        }

        if (risk is { Code: { } code })
        {
            parent.Status = OrderStatus.Rejected;
            parent.LastReason = risk.Reason ?? code.ToString();
            return new OrderDecision().Create(parent)
                .Emit(parent, Rejection(parent, command, stamp, code, parent.LastReason, []));
        }

        var decision = new OrderDecision();
        // The instrument details and instructions are taken once validated (their lengths are then within the columns').
        parent.TakeInstructions(TicketTerms.Of(command));
        parent.OcaGroup = OrderLimits.Clip(command.OcaGroup?.Name);
        // A control that needs IBKR's reference price makes the what-if the order's first work even without a margin policy.
        parent.ReferenceCheck = risk is { NeedsReferencePrice: true };
        parent.WorkDue = command.MarginCheck == MarginCheckPolicy.None && !parent.ReferenceCheck ? OrderWork.Submit : OrderWork.CheckMargin;
        parent.WorkDueAt = stamp.At;
        Accept(decision, parent, stamp);
        var opposite = command.Side == OrderSide.Buy ? OrderSide.Sell : OrderSide.Buy;
        if (command.StopLoss is { } stopLoss)
        {
            var leg = NewOrder(stopLoss.OrderId, command, fingerprint, stamp);
            (leg.Side, leg.OrderType, leg.StopPrice, leg.LimitPrice, leg.ParentOrderId) = (opposite, OrderType.Stop, stopLoss.Price, null, parent.OrderId);
            leg.SubmittedWithOrderId = parent.OrderId;
            leg.TimeInForce = TimeInForce.GoodTillCancelled;
            leg.TakeInstructions(TicketTerms.Of(stopLoss, command, stopLoss: true));
            Accept(decision, leg, stamp);
        }

        if (command.TakeProfit is { } takeProfit)
        {
            var leg = NewOrder(takeProfit.OrderId, command, fingerprint, stamp);
            (leg.Side, leg.OrderType, leg.LimitPrice, leg.StopPrice, leg.ParentOrderId) = (opposite, OrderType.Limit, takeProfit.Price, null, parent.OrderId);
            leg.SubmittedWithOrderId = parent.OrderId;
            leg.TimeInForce = TimeInForce.GoodTillCancelled;
            leg.TakeInstructions(TicketTerms.Of(takeProfit, command, stopLoss: false));
            Accept(decision, leg, stamp);
        }

        if (command.OcaGroup is { Orders: { } others } group)
        {
            for (var index = 0; index < others.Count; index++)
            {
                var other = others[index];
                var member = NewOrder(other.OrderId, command, fingerprint, stamp);
                member.Conid = other.Conid ?? command.Conid;
                (member.Side, member.Quantity, member.OrderType) = (other.Side, other.Quantity, other.OrderType);
                (member.LimitPrice, member.StopPrice, member.TrailingAmount, member.TrailingUnit) =
                    (other.LimitPrice, other.StopPrice, other.TrailingAmount, other.TrailingUnit);
                member.OcaGroup = parent.OcaGroup;
                member.TakeInstructions(TicketTerms.Of(other, command, index));
                member.SubmittedWithOrderId = parent.OrderId;
                Accept(decision, member, stamp);
            }
        }

        if (parent.ReferenceCheck)
        {
            // Each ticket keeps the limits in force at its acceptance: its what-if may run long after (a hold, a retry).
            foreach (var created in decision.Created)
            {
                (created.RiskMaxNotional, created.RiskPriceBandPercent) = (risk!.MaxNotional, risk.PriceBandPercent);
            }
        }

        // Cancels that overtook this PlaceOrder: the parent's cancels the whole order, a leg's or member's only that one.
        // Nothing cancelled is ever sent.
        var parentCancel = earlyCancels?.GetValueOrDefault(parent.OrderId) is { } c && c.UserId == parent.UserId ? c : null;
        foreach (var created in decision.Created)
        {
            var cancel = parentCancel ?? (earlyCancels?.GetValueOrDefault(created.OrderId) is { } own && own.UserId == created.UserId ? own : null);
            if (cancel is null)
            {
                continue;
            }

            decision.Applied($"PlaceOrder after the CancelOrder of {created.OrderId} → cancel-now");
            created.CancelRequested = true;
            created.CancelReason = cancel.Reason;
            created.WorkDue = OrderWork.None;
            created.WorkDueAt = null;
            created.Status = OrderStatus.Cancelled;
            created.LastReason = cancel.Reason;
            decision.Emit(created, stamp, new OrderCancelled { FilledQuantity = 0, Reason = cancel.Reason });
        }

        return decision;
    }

    /// <summary>
    /// A CancelOrder for an order the processor does not know (yet): answered NotFound outside any order's chain, and
    /// kept (<paramref name="kept"/>) so that if the PlaceOrder arrives later, the order is cancelled before anything is sent.
    /// </summary>
    public static OrderDecision CancelUnknown(CancelOrder command, EventStamp stamp, TimeSpan keptFor, out EarlyCancel? kept)
    {
        ArgumentNullException.ThrowIfNull(command);
        kept = command.OrderId == Guid.Empty || string.IsNullOrWhiteSpace(command.UserId)
            ? null
            : new EarlyCancel(command.OrderId, OrderLimits.Clip(command.UserId)!, string.IsNullOrWhiteSpace(command.Reason) ? "cancel requested" : OrderLimits.Clip(command.Reason)!, stamp.At);
        var reason = kept is null
            ? $"order {command.OrderId} is not known to the processor."
            : $"order {command.OrderId} is not known to the processor yet; the cancel is kept for {keptFor.TotalHours:0.#} h and applies if its PlaceOrder arrives.";
        return Standalone(command.OrderId, new OrderRejected
        {
            ReasonCode = RejectionReasonCode.NotFound,
            Reason = reason,
            Violations = [new FieldViolation("orderId", "known-order", $"orderId {command.OrderId} does not name an order of this processor.")],
            Command = nameof(CancelOrder),
            UserId = OrderLimits.Clip(command.UserId),
        }, stamp);
    }

    /// <summary>A command about an order the processor does not know: refused outside any order's chain (sequence 0).</summary>
    public static OrderDecision Unknown(Guid orderId, string command, string? userId, EventStamp stamp) =>
        Standalone(orderId, new OrderRejected
        {
            ReasonCode = RejectionReasonCode.NotFound,
            Reason = $"order {orderId} is not known to the processor.",
            Violations = [new FieldViolation("orderId", "known-order", $"orderId {orderId} does not name an order of this processor.")],
            Command = command,
            UserId = OrderLimits.Clip(userId),
        }, stamp);

    /// <summary>An event outside any order's lifecycle (a standalone margin check, a refusal of an unknown order): sequence 0, not chained.</summary>
    public static OrderDecision Standalone(Guid id, IOrderEvent orderEvent, EventStamp stamp) =>
        new OrderDecision().Emit(null, OrderEventEnvelope.Stamp(orderEvent, id, 0, stamp));

    private static IEnumerable<(string Field, Guid Id)> LegIds(PlaceOrder command)
    {
        if (command.StopLoss is { OrderId: var stopLoss } && stopLoss != Guid.Empty)
        {
            yield return ("stopLoss.orderId", stopLoss);
        }

        if (command.TakeProfit is { OrderId: var takeProfit } && takeProfit != Guid.Empty)
        {
            yield return ("takeProfit.orderId", takeProfit);
        }

        var others = command.OcaGroup?.Orders ?? [];
        // A group above the limit is refused by its count; its members are not looked at one by one.
        for (var i = 0; i < Math.Min(others.Count, OrderLimits.MaxOcaOrders); i++)
        {
            if (others[i] is { OrderId: var id } && id != Guid.Empty)
            {
                yield return ($"ocaGroup.orders[{i}].orderId", id);
            }
        }
    }

    private static OrderSaga NewOrder(Guid orderId, PlaceOrder command, string fingerprint, EventStamp stamp) => new()
    {
        OrderId = orderId,
        ClientOrderId = ClientOrderId.For(orderId),
        UserId = OrderLimits.Clip(command.UserId),
        AccountId = OrderLimits.Clip(command.AccountId),
        Conid = command.Conid,
        Side = command.Side,
        Quantity = command.Quantity,
        OrderType = command.OrderType,
        LimitPrice = command.LimitPrice,
        StopPrice = command.StopPrice,
        TrailingAmount = command.TrailingAmount,
        TrailingUnit = command.TrailingUnit,
        TimeInForce = command.TimeInForce,
        OutsideRegularHours = command.OutsideRegularHours,
        MarginCheck = command.MarginCheck,
        Status = OrderStatus.Received,
        CommandFingerprint = fingerprint,
        CorrelationId = stamp.CorrelationId,
        CreatedAt = stamp.At,
        UpdatedAt = stamp.At,
    };

    private static void Accept(OrderDecision decision, OrderSaga order, EventStamp stamp)
    {
        decision.Create(order).Emit(order, new OrderAccepted
        {
            OrderId = order.OrderId,
            Sequence = ++order.LastEventSequence,
            OccurredAt = stamp.At,
            CorrelationId = stamp.CorrelationId,
            CausationId = stamp.CausationId,
            UserId = order.UserId!,
            AccountId = order.AccountId!,
            ClientOrderId = order.ClientOrderId,
            Conid = order.Conid!.Value,
            Side = order.Side!.Value,
            Quantity = order.Quantity ?? 0,
            CashQuantity = order.CashQuantity,
            OrderType = order.OrderType!.Value,
            LimitPrice = order.LimitPrice,
            StopPrice = order.StopPrice,
            TrailingAmount = order.TrailingAmount,
            TrailingUnit = order.TrailingUnit,
            TimeInForce = order.TimeInForce!.Value,
            OutsideRegularHours = order.OutsideRegularHours,
            ParentOrderId = order.ParentOrderId,
            OcaGroup = order.OcaGroup,
            MarginCheck = order.MarginCheck,
        });
    }

    private static OrderRejected Rejection(OrderSaga order, PlaceOrder command, EventStamp stamp, RejectionReasonCode code,
        string reason, IReadOnlyList<FieldViolation> violations)
    {
        order.UpdatedAt = stamp.At;
        return new OrderRejected
        {
            OrderId = order.OrderId,
            Sequence = ++order.LastEventSequence,
            OccurredAt = stamp.At,
            CorrelationId = stamp.CorrelationId,
            CausationId = stamp.CausationId,
            ReasonCode = code,
            Reason = reason,
            Violations = violations,
            Command = nameof(PlaceOrder),
            UserId = OrderLimits.Clip(command.UserId),
            AccountId = OrderLimits.Clip(command.AccountId),
        };
    }

    private static string Describe(IReadOnlyList<FieldViolation> violations) =>
        string.Join(" ", violations.Select(v => v.Message));
}

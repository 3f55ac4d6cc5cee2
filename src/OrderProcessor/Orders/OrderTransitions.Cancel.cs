using OrderProcessor.Contracts;
using OrderProcessor.Persistence;

namespace OrderProcessor.Orders;

public static partial class OrderTransitions
{
    /// <summary>
    /// Decides a <see cref="CancelOrder"/>. Not yet at IBKR: cancelled at once. At IBKR: PendingCancel, and the cancel is
    /// sent; Cancelled only when IBKR reports it (a fill that wins the race is reported as a fill). Being sent right now:
    /// the cancel waits for the submission's outcome.
    /// </summary>
    /// <param name="order">The order to cancel.</param>
    /// <param name="carried">The orders its submission carries (bracket legs, OCA members): cancelled with it before submission.</param>
    /// <param name="command">The command.</param>
    /// <param name="stamp">Time and causation.</param>
    public static OrderDecision RequestCancel(OrderSaga order, IReadOnlyList<OrderSaga> carried, CancelOrder command, EventStamp stamp)
    {
        var decision = new OrderDecision();
        if (Refuse(decision, order, nameof(CancelOrder), command.UserId, stamp))
        {
            return decision;
        }

        var reason = string.IsNullOrWhiteSpace(command.Reason) ? "cancel requested" : command.Reason;
        switch (order.Status)
        {
            case OrderStatus.Received or OrderStatus.MarginChecking or OrderStatus.MarginApproved when order.SubmittedWithOrderId is null:
                foreach (var cancelled in carried.Prepend(order).Where(o => !IsFinal(o.Status)))
                {
                    Finish(cancelled, OrderStatus.Cancelled, reason);
                    cancelled.CancelReason = reason;
                    decision.Emit(cancelled, stamp, new OrderCancelled { FilledQuantity = 0, Reason = reason });
                }

                break;

            case OrderStatus.Received or OrderStatus.MarginChecking or OrderStatus.MarginApproved or OrderStatus.Submitting:
                order.CancelRequested = true;
                order.CancelReason = reason;
                break;

            case OrderStatus.Submitted or OrderStatus.Working or OrderStatus.PartiallyFilled:
                order.CancelRequested = true;
                BeginCancel(decision, order, reason, stamp);
                break;

            case OrderStatus.PendingCancel:
                break;
        }

        return decision;
    }

    /// <summary>What came of sending a cancel: sent (IBKR will report the outcome), or refused because IBKR no longer has a working order.</summary>
    public static void CompleteCancel(OrderSaga order, bool sent, string? reason)
    {
        ClearWork(order);
        if (!sent)
        {
            order.LastReason = reason;
        }
    }

    /// <summary>The cancel could not be sent (session lost, paced...): try again later.</summary>
    public static void RetryCancel(OrderSaga order, string reason, DateTimeOffset now, LifecycleSettings settings)
    {
        order.LastReason = reason;
        order.WorkDue = OrderWork.Cancel;
        order.WorkDueAt = now + settings.Backoff(order.WorkAttempts);
    }

    private static void BeginCancel(OrderDecision decision, OrderSaga order, string? reason, EventStamp stamp)
    {
        order.CancelReason = reason;
        order.WorkDue = OrderWork.Cancel;
        order.WorkDueAt = stamp.At;
        order.WorkAttempts = 0;
        ChangeStatus(decision, order, OrderStatus.PendingCancel, order.BrokerStatus, reason, stamp);
    }

    /// <summary>Refuses a command about an existing order from another user, or about a final order. True when refused.</summary>
    private static bool Refuse(OrderDecision decision, OrderSaga order, string command, string? userId, EventStamp stamp)
    {
        (RejectionReasonCode Code, string Reason, FieldViolation? Violation)? refusal =
            userId != order.UserId
                ? (RejectionReasonCode.ValidationFailed, $"userId does not own order {order.OrderId}.",
                    new FieldViolation("userId", "owner", $"userId must be the user who placed order {order.OrderId}."))
                : IsFinal(order.Status)
                    ? (RejectionReasonCode.InvalidState, $"order {order.OrderId} is already {order.Status}; {command} does not apply.", null)
                    : null;
        if (refusal is not { } r)
        {
            return false;
        }

        decision.Emit(order, stamp, new OrderRejected
        {
            ReasonCode = r.Code,
            Reason = r.Reason,
            Violations = r.Violation is null ? [] : [r.Violation],
            Command = command,
            UserId = OrderLimits.Clip(userId),
            AccountId = order.AccountId,
        });
        return true;
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
}

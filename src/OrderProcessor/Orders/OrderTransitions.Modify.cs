using System.Text.Json;
using OrderProcessor.Contracts;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Orders;

public static partial class OrderTransitions
{
    /// <summary>
    /// Decides a <see cref="ModifyOrder"/>: only an order working at IBKR can be changed; the changes wait in the saga
    /// until the worker has sent the whole ticket and IBKR accepted it (<see cref="OrderModified"/>).
    /// </summary>
    public static OrderDecision RequestModify(OrderSaga order, ModifyOrder command, EventStamp stamp)
    {
        var decision = new OrderDecision();
        if (Refuse(decision, order, nameof(ModifyOrder), command.UserId, stamp))
        {
            return decision;
        }

        var violations = ModifyOrderValidator.Validate(order, command);
        if (order.Status is not (OrderStatus.Submitted or OrderStatus.Working or OrderStatus.PartiallyFilled) || order.BrokerOrderId is null)
        {
            return RefuseCommand(decision, order, nameof(ModifyOrder), command.UserId, RejectionReasonCode.InvalidState,
                $"order {order.OrderId} is {order.Status}; only an order working at IBKR can be modified.", [], stamp);
        }

        if (violations.Count > 0)
        {
            return RefuseCommand(decision, order, nameof(ModifyOrder), command.UserId, RejectionReasonCode.ValidationFailed,
                string.Join(" ", violations.Select(v => v.Message)), violations, stamp);
        }

        order.PendingModification = JsonSerializer.Serialize(command, ContractJson.Options);
        order.WorkDue = OrderWork.Modify;
        order.WorkDueAt = stamp.At;
        order.WorkAttempts = 0;
        order.UpdatedAt = stamp.At;
        return decision;
    }

    /// <summary>The pending modification, applied to the order's ticket: what is sent to IBKR.</summary>
    public static ModifyOrder? PendingModification(OrderSaga order) =>
        order.PendingModification is null ? null : JsonSerializer.Deserialize<ModifyOrder>(order.PendingModification, ContractJson.Options);

    /// <summary>What came of sending the modification.</summary>
    public static OrderDecision CompleteModify(OrderSaga order, SubmissionOutcome outcome, EventStamp stamp, LifecycleSettings settings)
    {
        var decision = new OrderDecision();
        var change = PendingModification(order);
        switch (outcome)
        {
            case SubmissionAccepted when change is not null:
                order.Quantity = change.Quantity ?? order.Quantity;
                order.LimitPrice = change.LimitPrice ?? order.LimitPrice;
                order.StopPrice = change.StopPrice ?? order.StopPrice;
                order.TrailingAmount = change.TrailingAmount ?? order.TrailingAmount;
                order.TimeInForce = change.TimeInForce ?? order.TimeInForce;
                ClearModification(order);
                decision.Emit(order, stamp, new OrderModified
                {
                    Quantity = order.Quantity ?? 0,
                    LimitPrice = order.LimitPrice,
                    StopPrice = order.StopPrice,
                    TrailingAmount = order.TrailingAmount,
                    TimeInForce = order.TimeInForce ?? TimeInForce.Day,
                });
                break;

            case SubmissionRejected rejected:
                ClearModification(order);
                RefuseCommand(decision, order, nameof(ModifyOrder), order.UserId, rejected.Code, rejected.Reason, [], stamp, rejected.QuestionIds);
                break;

            case SubmissionNotSent notSent when notSent.Retryable && order.WorkAttempts < settings.MaxSubmitAttempts:
                order.WorkDue = OrderWork.Modify;
                order.WorkDueAt = stamp.At + settings.Backoff(order.WorkAttempts);
                order.LastReason = notSent.Reason;
                break;

            case SubmissionNotSent or SubmissionAmbiguous:
                // A modification whose outcome is unknown is not repeated: the next status poll shows what IBKR works with.
                ClearModification(order);
                RefuseCommand(decision, order, nameof(ModifyOrder), order.UserId, RejectionReasonCode.BrokerRejected,
                    $"the modification's outcome is unknown or it could not be sent ({(outcome as SubmissionNotSent)?.Reason ?? (outcome as SubmissionAmbiguous)?.Reason}); the order keeps working as IBKR reports it.", [], stamp);
                break;
        }

        return decision;
    }

    private static void ClearModification(OrderSaga order)
    {
        order.PendingModification = null;
        ClearWork(order);
    }

    private static OrderDecision RefuseCommand(OrderDecision decision, OrderSaga order, string command, string? userId, RejectionReasonCode code,
        string reason, IReadOnlyList<FieldViolation> violations, EventStamp stamp, IReadOnlyList<string>? questionIds = null) =>
        decision.Emit(order, stamp, new OrderRejected
        {
            ReasonCode = code,
            Reason = reason,
            Violations = violations,
            Command = command,
            UserId = OrderLimits.Clip(userId),
            AccountId = order.AccountId,
            QuestionIds = questionIds ?? [],
        });
}

using System.Text.Json;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Rules for what came of sending a modification.</summary>
internal static class ModifyRules
{
    public static readonly Rule Accepted = new("modified",
        "IBKR accepted the changes: they become the order's terms (OrderModified).",
        t =>
        {
            ApplyModification(t, t.Order, t.InputAs<ModifyAccepted>().Sent);
            Steps.ClearWork(t.Order);
        });

    public static readonly Rule Rejected = new("modify-refused",
        "IBKR refused the changes: the ModifyOrder is refused with IBKR's text; the order keeps its terms.",
        t =>
        {
            var rejected = t.InputAs<ModifyRejected>();
            t.Order.PendingModification = null;
            Steps.ClearWork(t.Order);
            Steps.RefuseCommand(t, t.Order, nameof(ModifyOrder), t.Order.UserId, rejected.Code, rejected.Reason, questionIds: rejected.QuestionIds);
        });

    public static readonly Rule SendAgain = new("modify-again-or-refuse",
        "Provably not sent: sent again after a backoff (the claim counts the attempts, except for a set-up, token or partner failure, which waits); a configuration error refuses it at once.",
        t =>
        {
            var order = t.Order;
            var failure = t.InputAs<ModifyNotSent>().Failure;
            order.LastReason = failure.Reason;
            if (failure.Waits)
            {
                Steps.RefundAttempt(order);
                Steps.Schedule(order, OrderWork.Modify, t.Now + t.Settings.MaxRetryDelay);
                return;
            }

            if (failure.Retryable)
            {
                Steps.Schedule(order, OrderWork.Modify, t.Now + t.Settings.Backoff(order.WorkAttempts));
                return;
            }

            order.PendingModification = null;
            Steps.ClearWork(order);
            Steps.RefuseCommand(t, order, nameof(ModifyOrder), order.UserId, RejectionReasonCode.BrokerRejected,
                $"the modification could not be sent: {failure.Reason}");
        });

    public static readonly Rule Unknown = new("modify-unknown",
        "The outcome is unknown: it is not repeated blindly; the ModifyOrder is refused saying so, and the order follows what IBKR reports.",
        t =>
        {
            var order = t.Order;
            order.PendingModification = null;
            Steps.ClearWork(order);
            Steps.RefuseCommand(t, order, nameof(ModifyOrder), order.UserId, RejectionReasonCode.BrokerRejected,
                $"the modification's outcome is unknown ({t.InputAs<ModifyAmbiguous>().Reason}); the order keeps working as IBKR reports it.");
        });

    /// <summary>The modification IBKR took becomes the order's terms (also from a late answer: it is what IBKR works with).</summary>
    internal static void ApplyModification(Transition t, OrderSaga order, ModifyOrder change)
    {
        order.Quantity = change.Quantity ?? order.Quantity;
        order.LimitPrice = change.LimitPrice ?? order.LimitPrice;
        order.StopPrice = change.StopPrice ?? order.StopPrice;
        order.TrailingAmount = change.TrailingAmount ?? order.TrailingAmount;
        order.TimeInForce = change.TimeInForce ?? order.TimeInForce;
        if (order.PendingModification is { } pending && IsSame(pending, change))
        {
            order.PendingModification = null;
        }

        t.Emit(order, new OrderModified
        {
            Quantity = order.Quantity ?? 0,
            LimitPrice = order.LimitPrice,
            StopPrice = order.StopPrice,
            TrailingAmount = order.TrailingAmount,
            TimeInForce = order.TimeInForce ?? TimeInForce.Day,
        });
    }

    internal static bool IsSame(string pending, ModifyOrder change) =>
        string.Equals(pending, JsonSerializer.Serialize(change, ContractJson.Options), StringComparison.Ordinal);
}

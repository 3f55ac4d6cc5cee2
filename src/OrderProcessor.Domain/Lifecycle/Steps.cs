using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>The steps rules are made of. Each one keeps the order's work fields consistent with its status.</summary>
internal static class Steps
{
    /// <summary>The states an order never leaves.</summary>
    public static readonly OrderStatus[] FinalStatuses = [OrderStatus.Filled, OrderStatus.Cancelled, OrderStatus.Rejected, OrderStatus.Failed];

    public static bool IsFinal(OrderStatus status) => Array.IndexOf(FinalStatuses, status) >= 0;

    /// <summary>No work, and no claim: any result still under way becomes a late result.</summary>
    public static void ClearWork(OrderSaga order)
    {
        order.WorkDue = OrderWork.None;
        order.WorkDueAt = null;
        order.ClaimToken = null;
        order.WorkAttempts = 0;
    }

    /// <summary>Gives back the attempt the claim counted: the work failed for a reason that was not the order's.</summary>
    public static void RefundAttempt(OrderSaga order) => order.WorkAttempts = Math.Max(0, order.WorkAttempts - 1);

    /// <summary>Work due at <paramref name="at"/>, claimed by nobody yet.</summary>
    public static void Schedule(OrderSaga order, OrderWork work, DateTimeOffset at)
    {
        order.WorkDue = work;
        order.WorkDueAt = at;
        order.ClaimToken = null;
    }

    /// <summary>Claims the order's work under the input's token until the lease ends; then <paramref name="fallback"/> is due.</summary>
    public static void Claim(Transition t, OrderWork fallback)
    {
        var order = t.Order;
        order.WorkDue = fallback;
        order.WorkDueAt = t.Now + t.Settings.WorkLease;
        order.ClaimToken = t.InputAs<WorkClaimed>().Token;
        order.UpdatedAt = t.Now;
    }

    public static void Finish(OrderSaga order, OrderStatus status, string? reason)
    {
        order.Status = status;
        order.LastReason = reason;
        ClearWork(order);
        EndHold(order);
    }

    /// <summary>The order's hold episode is over (it reached IBKR, ended, or went to an operator): a later hold counts MaxHold afresh.</summary>
    public static void EndHold(OrderSaga order)
    {
        order.HeldSince = null;
        order.HoldUntil = null;
    }

    public static void Cancel(Transition t, OrderSaga order, string reason)
    {
        order.CancelReason ??= reason;
        Finish(order, OrderStatus.Cancelled, order.CancelReason);
        t.Emit(order, new OrderCancelled { FilledQuantity = order.FilledQuantity, Reason = order.CancelReason });
    }

    public static void Reject(Transition t, OrderSaga order, RejectionReasonCode code, string reason, IReadOnlyList<string>? questionIds = null)
    {
        Finish(order, OrderStatus.Rejected, reason);
        t.Emit(order, new OrderRejected
        {
            ReasonCode = code,
            Reason = reason,
            Command = nameof(PlaceOrder),
            UserId = order.UserId,
            AccountId = order.AccountId,
            QuestionIds = questionIds ?? [],
        });
    }

    public static void Fail(Transition t, OrderSaga order, string reason, string failureKind)
    {
        Finish(order, OrderStatus.Failed, reason);
        t.Emit(order, new OrderFailed { Reason = reason, FailureKind = failureKind });
    }

    public static void ChangeStatus(Transition t, OrderSaga order, OrderStatus status, string? reason)
    {
        var previous = order.Status;
        order.Status = status;
        t.Emit(order, new OrderStatusChanged { PreviousStatus = previous, Status = status, BrokerStatus = order.BrokerStatus, Reason = reason });
    }

    /// <summary>Hands the order to an operator: nothing more is sent for it; news from IBKR still moves it on.</summary>
    public static void HandToOperator(Transition t, OrderSaga order, string reason)
    {
        ClearWork(order);
        EndHold(order);
        order.LastReason = reason;
        ChangeStatus(t, order, OrderStatus.NeedsAttention, reason);
    }

    /// <summary>IBKR has the order: Submitted with what is known of it, and the cancel sent if one was asked for meanwhile.</summary>
    public static void MarkSubmitted(Transition t, OrderSaga order, string? brokerOrderId, BrokerOrderState? state)
    {
        order.Status = OrderStatus.Submitted;
        order.BrokerOrderId = brokerOrderId ?? order.BrokerOrderId;
        order.BrokerStatus = state?.ToString() ?? order.BrokerStatus;
        order.LastReason = null;
        order.ReconcileMisses = 0;
        order.UnlistedPolls = 0;
        ClearWork(order);
        EndHold(order);
        t.Emit(order, new OrderSubmitted
        {
            BrokerOrderId = order.BrokerOrderId ?? string.Empty,
            ClientOrderId = order.ClientOrderId,
            BrokerStatus = order.BrokerStatus,
        });

        if (order.CancelRequested)
        {
            BeginCancel(t, order, order.CancelReason ?? "cancel requested");
        }
    }

    /// <summary>PendingCancel, with the cancel request due now.</summary>
    public static void BeginCancel(Transition t, OrderSaga order, string reason)
    {
        order.CancelRequested = true;
        order.CancelReason = reason;
        order.PendingModification = null;
        Schedule(order, OrderWork.Cancel, t.Now);
        order.WorkAttempts = 0;
        ChangeStatus(t, order, OrderStatus.PendingCancel, reason);
    }

    /// <summary>The status of an order IBKR works, judged by what filled.</summary>
    public static OrderStatus WorkingStatus(OrderSaga order) => order.FilledQuantity > 0 ? OrderStatus.PartiallyFilled : OrderStatus.Working;

    /// <summary>Takes in what IBKR reports: its order id, its status text, more filled. True when more filled.</summary>
    public static bool Absorb(OrderSaga order, BrokerOrderObservation observation)
    {
        order.BrokerOrderId ??= observation.BrokerOrderId;
        order.BrokerStatus = observation.State.ToString();
        order.UnlistedPolls = 0;
        if (order.WorkDue == OrderWork.Settle)
        {
            // IBKR lists it again: nothing to settle (a settlement under way becomes late: what it read is older).
            ClearWork(order);
        }

        if (observation.FilledQuantity <= order.FilledQuantity)
        {
            // The average for what is already filled, which a sparse report before this one left out.
            if (observation.FilledQuantity == order.FilledQuantity && order.FilledQuantity > 0 && order.AveragePrice is null)
            {
                order.AveragePrice = observation.AveragePrice;
            }

            return false;
        }

        order.FilledQuantity = observation.FilledQuantity;

        // A cash order's filled cash is filled × average: an average from before this fill would overstate or understate
        // it (1000 cash, 5 filled at 100, then 10.2631 filled with no new average: 1,026.31). Unknown until IBKR says.
        order.AveragePrice = observation.AveragePrice ?? (FillFigures.IsCashQuantity(order) ? null : order.AveragePrice);
        return true;
    }

    /// <summary>
    /// More filled: an OrderPartiallyFilled with IBKR's cumulative figures. <paramref name="remaining"/> is what IBKR
    /// reports still open (0 for an order that ended); null when IBKR did not say (see <see cref="FillFigures.Remaining"/>).
    /// </summary>
    public static void EmitPartialFill(Transition t, OrderSaga order, decimal? remaining)
    {
        t.Emit(order, new OrderPartiallyFilled
        {
            FilledQuantity = order.FilledQuantity,
            RemainingQuantity = remaining ?? FillFigures.Remaining(order),
            AveragePrice = order.AveragePrice,
        });
    }

    /// <summary>IBKR filled the order (its status says so): Filled with IBKR's cumulative figures.</summary>
    public static void CompleteFill(Transition t, OrderSaga order)
    {
        Finish(order, OrderStatus.Filled, null);
        t.Emit(order, new OrderFilled
        {
            FilledQuantity = order.FilledQuantity,
            AveragePrice = order.AveragePrice,
        });
    }

    /// <summary>An OrderRejected for a command that does not apply; the order is unaffected.</summary>
    public static void RefuseCommand(Transition t, OrderSaga order, string command, string? userId, RejectionReasonCode code, string reason,
        IReadOnlyList<FieldViolation>? violations = null, IReadOnlyList<string>? questionIds = null) =>
        t.Emit(order, new OrderRejected
        {
            ReasonCode = code,
            Reason = reason,
            Violations = ViolationCap.Apply(violations ?? []),
            Command = command,
            UserId = OrderLimits.Clip(userId),
            AccountId = order.AccountId,
            QuestionIds = questionIds ?? [],
        });

    /// <summary>The orders of a group that are still being sent (the leader's result applies to them only).</summary>
    public static IEnumerable<OrderSaga> Sending(Transition t) => t.Group.Where(o => o.Status == OrderStatus.Submitting);
}

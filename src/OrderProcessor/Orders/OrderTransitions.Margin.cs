using OrderProcessor.Contracts;
using OrderProcessor.Persistence;

namespace OrderProcessor.Orders;

public static partial class OrderTransitions
{
    /// <summary>The order goes to MarginChecking while IBKR's what-if runs (a read: safe to repeat after a crash).</summary>
    public static void BeginMarginCheck(OrderSaga leader, DateTimeOffset now, LifecycleSettings settings)
    {
        leader.Status = OrderStatus.MarginChecking;
        leader.WorkDue = OrderWork.CheckMargin;
        leader.WorkDueAt = now + settings.WorkLease;
        leader.WorkAttempts++;
        leader.UpdatedAt = now;
    }

    /// <summary>Applies the policy to the what-if: approved orders go on to submission, refused ones end Rejected with the figures.</summary>
    public static OrderDecision CompleteMarginCheck(IReadOnlyList<OrderSaga> group, WhatIfFigures figures, EventStamp stamp, LifecycleSettings settings)
    {
        var leader = group[0];
        var (approved, reason) = MarginPolicy.Evaluate(leader.MarginCheck, figures, settings.MaxInitialMarginShareOfEquity);
        var decision = new OrderDecision();
        decision.Emit(leader, stamp, MarginCompleted(leader.UserId, leader.AccountId, figures) with { Approved = approved, PolicyReason = reason });
        if (approved)
        {
            leader.Status = OrderStatus.MarginApproved;
            leader.WorkDue = OrderWork.Submit;
            leader.WorkDueAt = stamp.At;
            leader.WorkAttempts = 0;
            return decision;
        }

        foreach (var order in group)
        {
            Finish(order, OrderStatus.Rejected, reason);
            decision.Emit(order, stamp, new OrderRejected
            {
                ReasonCode = RejectionReasonCode.MarginPolicy,
                Reason = reason!,
                Command = nameof(PlaceOrder),
                UserId = order.UserId,
                AccountId = order.AccountId,
            });
        }

        return decision;
    }

    /// <summary>The what-if could not be run: try again later, and fail the order after the bound.</summary>
    public static OrderDecision MarginCheckFailed(IReadOnlyList<OrderSaga> group, SubmissionNotSent failure, EventStamp stamp, LifecycleSettings settings)
    {
        var leader = group[0];
        var decision = new OrderDecision();
        if (failure.Retryable && leader.WorkAttempts < settings.MaxSubmitAttempts)
        {
            leader.WorkDue = OrderWork.CheckMargin;
            leader.WorkDueAt = stamp.At + settings.Backoff(leader.WorkAttempts);
            leader.LastReason = failure.Reason;
            return decision;
        }

        Fail(decision, group, $"the margin check could not be run: {failure.Reason}", failure.FailureKind, stamp);
        return decision;
    }

    /// <summary>The event of a what-if, for a standalone MarginCheck or a PlaceOrder with a policy.</summary>
    public static MarginCheckCompleted MarginCompleted(string? userId, string? accountId, WhatIfFigures figures) => new()
    {
        UserId = userId ?? string.Empty,
        AccountId = accountId ?? string.Empty,
        Currency = figures.Currency,
        Initial = figures.Initial,
        Maintenance = figures.Maintenance,
        Equity = figures.Equity,
        Commission = figures.Commission,
        Amount = figures.Amount,
        Warning = figures.Warning,
        Error = figures.Error,
    };
}

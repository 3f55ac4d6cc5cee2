using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The order saga's decisions, as pure functions of the current state and an input: no database, bus or HTTP here.
/// Every input about an existing order goes through <see cref="TransitionTable"/>; placing a new order is
/// <see cref="OrderPlacement"/>. Every event gets the order's next sequence number.
/// </summary>
public static class OrderLifecycle
{
    /// <summary>The states an order never leaves.</summary>
    public static IReadOnlyList<OrderStatus> FinalStatuses => Steps.FinalStatuses;

    public static bool IsFinal(OrderStatus status) => Steps.IsFinal(status);

    /// <summary>
    /// Applies <paramref name="input"/> to <paramref name="group"/>: the order it is about first, then (for commands on a
    /// leader and for the leader's work) the orders its submission carries.
    /// </summary>
    public static OrderDecision Apply(IReadOnlyList<OrderSaga> group, OrderInput input, EventStamp stamp, LifecycleSettings settings)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(input);
        if (group.Count == 0)
        {
            throw new ArgumentException("A transition needs the order it is about.", nameof(group));
        }

        var transition = new Transition(group, input, stamp, settings, new OrderDecision());
        if (input is CancelRequested or ModifyRequested && RefuseForeignUser(transition))
        {
            return transition.Decision;
        }

        Run(transition, Classify(group[0], input, stamp.At));
        return transition.Decision;
    }

    /// <summary>
    /// A worker claims the leader's due work under <paramref name="token"/>. Returns the work to run now, or
    /// <see cref="OrderWork.None"/> when the claim decided it instead (e.g. a cancelled order is not sent).
    /// <paramref name="halted"/> is the active trading halt that covers the order, if any.
    /// </summary>
    public static (OrderWork Work, OrderDecision Decision) Claim(IReadOnlyList<OrderSaga> group, Guid token, EventStamp stamp, LifecycleSettings settings,
        HaltView? halted = null)
    {
        ArgumentNullException.ThrowIfNull(group);
        var work = group[0].WorkDue;
        if (work == OrderWork.None)
        {
            return (OrderWork.None, OrderDecision.Nothing);
        }

        var decision = Apply(group, new WorkClaimed(token, halted), stamp, settings);
        return (group[0].ClaimToken == token ? work : OrderWork.None, decision);
    }

    /// <summary>The kind of <paramref name="input"/> for <paramref name="order"/> as it stands: the row of the table.</summary>
    public static LifecycleInput Classify(OrderSaga order, OrderInput input, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (input is WorkResult result && result.Claim != order.ClaimToken)
        {
            return LifecycleInput.LateResult;
        }

        return input switch
        {
            CancelRequested => LifecycleInput.CancelOrder,
            ModifyRequested => LifecycleInput.ModifyOrder,
            WorkClaimed => order.WorkDue switch
            {
                OrderWork.CheckMargin => LifecycleInput.ClaimMarginCheck,
                OrderWork.Submit => LifecycleInput.ClaimSubmit,
                OrderWork.Reconcile => LifecycleInput.ClaimReconcile,
                OrderWork.Cancel => LifecycleInput.ClaimCancel,
                OrderWork.Modify => LifecycleInput.ClaimModify,
                OrderWork.Settle => LifecycleInput.ClaimSettle,
                _ => throw new ArgumentException($"order {order.OrderId} has no work to claim", nameof(input)),
            },
            MarginChecked => LifecycleInput.MarginChecked,
            ReadFailed when order.WorkDue == OrderWork.CheckMargin => LifecycleInput.MarginCheckFailed,
            ReadFailed when order.WorkDue == OrderWork.Settle => LifecycleInput.SettleFailed,
            ReadFailed => LifecycleInput.ReconcileFailed,
            SubmissionAccepted => LifecycleInput.SubmissionAccepted,
            SubmissionAlreadyRegistered => LifecycleInput.SubmissionAlreadyRegistered,
            SubmissionRejected => LifecycleInput.SubmissionRejected,
            SubmissionNotSent => LifecycleInput.SubmissionNotSent,
            SubmissionAmbiguous => LifecycleInput.SubmissionAmbiguous,
            ReconcileRead read => read.Found.Count > 0 ? LifecycleInput.ReconcileFound : LifecycleInput.ReconcileAbsent,
            CancelSent => LifecycleInput.CancelSent,
            CancelRefused => LifecycleInput.CancelRefused,
            CancelNotSent => LifecycleInput.CancelNotSent,
            CancelAmbiguous => LifecycleInput.CancelAmbiguous,
            ModifyAccepted => LifecycleInput.ModifyAccepted,
            ModifyRejected => LifecycleInput.ModifyRejected,
            ModifyNotSent => LifecycleInput.ModifyNotSent,
            ModifyAmbiguous => LifecycleInput.ModifyAmbiguous,
            BrokerUnavailable => LifecycleInput.BrokerUnavailable,
            SettleRead settle => SettleRules.Classify(order, settle, now),
            Observed observed => observed.Observation.State switch
            {
                BrokerOrderState.Filled => LifecycleInput.ObservedFilled,
                BrokerOrderState.Cancelled => LifecycleInput.ObservedCancelled,
                BrokerOrderState.Inactive => LifecycleInput.ObservedInactive,
                BrokerOrderState.PendingCancel or BrokerOrderState.PreCancelled => LifecycleInput.ObservedPendingCancel,
                _ => LifecycleInput.ObservedWorking,
            },
            Unlisted => LifecycleInput.Unlisted,
            _ => throw new ArgumentException($"{input.GetType().Name} is not an input of the order lifecycle", nameof(input)),
        };
    }

    /// <summary>The event of a what-if, for a standalone MarginCheck or a PlaceOrder with a policy.</summary>
    public static MarginCheckCompleted MarginCompleted(string? userId, string? accountId, WhatIfFigures figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return new()
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

    /// <summary>Applies an input to one order inside another rule, through the table, with the same decision.</summary>
    internal static void ApplyWithin(Transition outer, OrderSaga order, OrderInput input) =>
        Run(new Transition([order], input, outer.Stamp, outer.Settings, outer.Decision), Classify(order, input, outer.Now));

    private static void Run(Transition transition, LifecycleInput kind)
    {
        var rule = TransitionTable.For(transition.Order.Status, kind);
        transition.Decision.Applied($"{transition.Order.Status} × {kind} → {rule.Name}");
        rule.Apply(transition);
    }

    /// <summary>Refuses a command about an existing order from another user. True when refused.</summary>
    private static bool RefuseForeignUser(Transition t)
    {
        var (command, userId) = t.Input switch
        {
            CancelRequested cancel => (nameof(CancelOrder), cancel.Command.UserId),
            ModifyRequested modify => (nameof(ModifyOrder), modify.Command.UserId),
            _ => (string.Empty, null),
        };
        if (userId == t.Order.UserId)
        {
            return false;
        }

        t.Decision.Applied($"{t.Order.Status} × {command} from another user → refuse");
        Steps.RefuseCommand(t, t.Order, command, userId, RejectionReasonCode.ValidationFailed, $"userId does not own order {t.Order.OrderId}.",
            [new FieldViolation("userId", "owner", $"userId must be the user who placed order {t.Order.OrderId}.")]);
        return true;
    }
}

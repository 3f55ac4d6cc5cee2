using OrderProcessor.Contracts;
using OrderProcessor.Persistence;

namespace OrderProcessor.Orders;

public static partial class OrderTransitions
{
    /// <summary>
    /// Marks a submission group (the leader first, then the bracket legs or OCA members it carries) as Submitting.
    /// Committed before the IBKR call: should the process die during the call, the lease runs out and the leader is
    /// reconciled, never re-sent blindly.
    /// </summary>
    public static void BeginSubmission(IReadOnlyList<OrderSaga> group, DateTimeOffset now, LifecycleSettings settings)
    {
        var leader = group[0];
        foreach (var order in group)
        {
            order.Status = OrderStatus.Submitting;
            order.UpdatedAt = now;
        }

        leader.WorkAttempts++;
        leader.WorkDue = OrderWork.Reconcile;
        leader.WorkDueAt = now + settings.WorkLease;
        leader.ReconcileMisses = 0;
    }

    /// <summary>Applies what came of sending the group to IBKR.</summary>
    public static OrderDecision CompleteSubmission(IReadOnlyList<OrderSaga> group, SubmissionOutcome outcome, EventStamp stamp, LifecycleSettings settings)
    {
        var leader = group[0];
        var decision = new OrderDecision();
        if (leader.Status != OrderStatus.Submitting)
        {
            // A status poll settled the order while the call was under way; its answer adds nothing.
            ClearWork(leader);
            return decision;
        }

        switch (outcome)
        {
            case SubmissionAccepted accepted:
                foreach (var order in group)
                {
                    var (brokerOrderId, status) = accepted.ByClientOrderId.TryGetValue(order.ClientOrderId, out var ticket)
                        ? ticket
                        : (null, null);
                    MarkSubmitted(decision, order, brokerOrderId, status, stamp);
                }

                break;

            case SubmissionRejected rejected:
                foreach (var order in group)
                {
                    Finish(order, OrderStatus.Rejected, rejected.Reason);
                    decision.Emit(order, stamp, new OrderRejected
                    {
                        ReasonCode = rejected.Code,
                        Reason = rejected.Reason,
                        Command = nameof(PlaceOrder),
                        UserId = order.UserId,
                        AccountId = order.AccountId,
                        QuestionIds = rejected.QuestionIds,
                    });
                }

                break;

            case SubmissionNotSent notSent when notSent.Retryable && leader.WorkAttempts < settings.MaxSubmitAttempts:
                leader.WorkDue = OrderWork.Submit;
                leader.WorkDueAt = stamp.At + settings.Backoff(leader.WorkAttempts);
                leader.LastReason = notSent.Reason;
                break;

            case SubmissionNotSent notSent:
                var why = notSent.Retryable
                    ? $"gave up after {leader.WorkAttempts} attempts that did not reach IBKR; last: {notSent.Reason}"
                    : notSent.Reason;
                Fail(decision, group, why, notSent.FailureKind, stamp);
                break;

            case SubmissionAmbiguous ambiguous:
                leader.WorkDue = OrderWork.Reconcile;
                leader.WorkDueAt = stamp.At + settings.ReconcileInterval;
                leader.ReconcileMisses = 0;
                leader.LastReason = ambiguous.Reason;
                break;
        }

        return decision;
    }

    /// <summary>
    /// Applies one reconciliation poll: the live orders that carry the group's cOIDs. Found: the group is submitted.
    /// Absent in enough consecutive polls: IBKR provably does not have it, and it is sent again with the same cOIDs.
    /// </summary>
    public static OrderDecision Reconcile(IReadOnlyList<OrderSaga> group, IReadOnlyDictionary<string, BrokerOrderObservation> found,
        EventStamp stamp, LifecycleSettings settings)
    {
        var leader = group[0];
        var decision = new OrderDecision();
        if (leader.Status != OrderStatus.Submitting)
        {
            ClearWork(leader);
            return decision;
        }

        if (group.Any(o => found.ContainsKey(o.ClientOrderId)))
        {
            foreach (var order in group)
            {
                if (found.TryGetValue(order.ClientOrderId, out var observation))
                {
                    MarkSubmitted(decision, order, observation.BrokerOrderId, observation.Status, stamp);
                    decision.Include(Observe(order, observation, stamp));
                }
                else
                {
                    MarkSubmitted(decision, order, null, null, stamp);
                }
            }

            return decision;
        }

        leader.ReconcileMisses++;
        if (leader.ReconcileMisses >= settings.ReconcileMissesBeforeResend && leader.WorkAttempts >= settings.MaxSubmitAttempts)
        {
            Fail(decision, group, $"sent {leader.WorkAttempts} times and provably never reached IBKR (absent from {leader.ReconcileMisses} live-order polls)",
                "Ambiguous", stamp);
        }
        else if (leader.ReconcileMisses >= settings.ReconcileMissesBeforeResend)
        {
            leader.WorkDue = OrderWork.Submit;
            leader.WorkDueAt = stamp.At;
            leader.LastReason = $"not at IBKR after {leader.ReconcileMisses} live-order polls; sending again with the same cOID";
        }
        else
        {
            leader.WorkDue = OrderWork.Reconcile;
            leader.WorkDueAt = stamp.At + settings.ReconcileInterval;
        }

        return decision;
    }

    /// <summary>
    /// A reconciliation poll that failed (session lost, paced, IBKR down): poll again later. An order whose outcome is
    /// unknown never ends Failed, because it may be working at IBKR; it waits until IBKR can answer.
    /// </summary>
    public static void ReconcileFailed(OrderSaga leader, string reason, DateTimeOffset now, LifecycleSettings settings)
    {
        leader.LastReason = reason;
        leader.WorkDue = OrderWork.Reconcile;
        leader.WorkDueAt = now + settings.ReconcileInterval;
    }

    private static void MarkSubmitted(OrderDecision decision, OrderSaga order, string? brokerOrderId, string? brokerStatus, EventStamp stamp)
    {
        if (order.Status != OrderStatus.Submitting)
        {
            return;
        }

        order.Status = OrderStatus.Submitted;
        order.BrokerOrderId = brokerOrderId ?? order.BrokerOrderId;
        order.BrokerStatus = brokerStatus ?? order.BrokerStatus;
        order.WorkDue = OrderWork.None;
        order.WorkDueAt = null;
        order.WorkAttempts = 0;
        order.LastReason = null;
        decision.Emit(order, stamp, new OrderSubmitted
        {
            BrokerOrderId = order.BrokerOrderId ?? string.Empty,
            ClientOrderId = order.ClientOrderId,
            BrokerStatus = order.BrokerStatus,
        });

        if (order.CancelRequested)
        {
            BeginCancel(decision, order, order.CancelReason, stamp);
        }
    }

    private static void Fail(OrderDecision decision, IReadOnlyList<OrderSaga> group, string reason, string failureKind, EventStamp stamp)
    {
        foreach (var order in group)
        {
            Finish(order, OrderStatus.Failed, reason);
            decision.Emit(order, stamp, new OrderFailed { Reason = reason, FailureKind = failureKind });
        }
    }

    private static void ClearWork(OrderSaga order)
    {
        order.WorkDue = OrderWork.None;
        order.WorkDueAt = null;
        order.WorkAttempts = 0;
    }

    private static void Finish(OrderSaga order, OrderStatus status, string? reason)
    {
        order.Status = status;
        order.LastReason = reason;
        order.WorkDue = OrderWork.None;
        order.WorkDueAt = null;
    }
}

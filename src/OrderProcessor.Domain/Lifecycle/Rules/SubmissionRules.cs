using System.Globalization;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Rules for what came of sending a submission group, and of reconciling one whose outcome was unknown.</summary>
internal static class SubmissionRules
{
    public static readonly Rule Accepted = new("submitted",
        "Each ticket IBKR took is Submitted with its IBKR order id and each it refused is Rejected with IBKR's text; one the answer does not mention is looked for in the live orders. A cancel asked for meanwhile is sent now.",
        t =>
        {
            var answer = t.InputAs<SubmissionAccepted>();
            foreach (var order in Steps.Sending(t).ToList())
            {
                if (answer.Refused.TryGetValue(order.ClientOrderId, out var refusal))
                {
                    Steps.Reject(t, order, refusal.Code, refusal.Reason, refusal.QuestionIds);
                }
                else if (answer.Accepted.TryGetValue(order.ClientOrderId, out var ticket))
                {
                    Steps.MarkSubmitted(t, order, ticket.BrokerOrderId, ticket.State);
                }
            }

            LookForTheRest(t, misses: 0);
        });

    public static readonly Rule AlreadyRegistered = new("registered-earlier",
        "IBKR already has the cOID (an earlier send reached it): the group is Submitted; IBKR's order ids come with the status poll.",
        t =>
        {
            foreach (var order in Steps.Sending(t).ToList())
            {
                Steps.MarkSubmitted(t, order, null, null);
            }
        });

    public static readonly Rule Rejected = new("rejected",
        "IBKR refused the request, or asked a question the policy does not confirm: the group is Rejected with IBKR's text.",
        t =>
        {
            var rejected = t.InputAs<SubmissionRejected>();
            foreach (var order in Steps.Sending(t).ToList())
            {
                Steps.Reject(t, order, rejected.Code, rejected.Reason, rejected.QuestionIds);
            }
        });

    public static readonly Rule NotSent = new("send-again-or-fail",
        "Provably not at IBKR: orders with a cancel asked for are cancelled (nothing was sent); a set-up, token or partner failure (not the order's) waits and is sent again without spending an attempt, for at most Lifecycle:MaxWaitBeforeSend from the order's arrival (then Failed); the rest is sent again after a backoff, or ends Failed after the last attempt.",
        t =>
        {
            var failure = t.InputAs<SubmissionNotSent>().Failure;
            var leader = t.Order;
            CancelWhatWasAsked(t);
            if (Steps.IsFinal(leader.Status))
            {
                return;
            }

            leader.LastReason = failure.Reason;
            var waitedTooLong = t.Now - leader.CreatedAt >= t.Settings.MaxWaitBeforeSend;
            if (failure.Waits && !waitedTooLong)
            {
                Steps.RefundAttempt(leader);
                if (leader.WorkAttempts == 0)
                {
                    // Nothing of this order was ever sent: its resend window has not started.
                    leader.FirstSentAt = null;
                }

                Steps.Schedule(leader, OrderWork.Submit, t.Now + t.Settings.MaxRetryDelay);
                return;
            }

            // A wait past its bound ends here too (it is not an attempt of the order's to be retried).
            if (failure.Retryable && !failure.Waits && leader.WorkAttempts < t.Settings.MaxSubmitAttempts)
            {
                Steps.Schedule(leader, OrderWork.Submit, t.Now + t.Settings.Backoff(leader.WorkAttempts));
                return;
            }

            var why = failure.Waits
                ? $"not sent: what stood in the way (not the order) did not clear within {t.Settings.MaxWaitBeforeSend} of its arrival; last: {failure.Reason}"
                : failure.Retryable
                    ? $"gave up after {leader.WorkAttempts} attempts that did not reach IBKR; last: {failure.Reason}"
                    : failure.Reason;
            foreach (var order in Steps.Sending(t).ToList())
            {
                Steps.Fail(t, order, why, failure.Kind);
            }
        });

    public static readonly Rule Ambiguous = new("reconcile",
        "The request may have reached IBKR: nothing is sent until the live orders say whether IBKR has the cOID.",
        t =>
        {
            var leader = t.Order;
            leader.LastReason = t.InputAs<SubmissionAmbiguous>().Reason;
            leader.ReconcileMisses = 0;
            Steps.Schedule(leader, OrderWork.Reconcile, t.Now + t.Settings.ReconcileInterval);
        });

    public static readonly Rule Found = new("found",
        "IBKR has (part of) the group: each order found is Submitted and takes in what IBKR reports; one not found is looked for again (a ticket of a request IBKR processed that stays absent was refused). A cancel asked for meanwhile is sent now.",
        t =>
        {
            var found = t.InputAs<ReconcileRead>().Found;
            foreach (var order in Steps.Sending(t).ToList())
            {
                if (found.TryGetValue(order.ClientOrderId, out var observation))
                {
                    Steps.MarkSubmitted(t, order, observation.BrokerOrderId, observation.State);
                    ObservationRules.Apply(t, order, observation);
                }
            }

            LookForTheRest(t, misses: 1);
        });

    public static readonly Rule Absent = new("absent",
        "Not in the live orders nor the trades. After enough consecutive misses IBKR provably does not have it: cancelled if a cancel was asked for; handed to an operator past the resend window; Failed after the last attempt; otherwise sent again with the same cOID.",
        t =>
        {
            var leader = t.Order;
            leader.ReconcileMisses++;
            if (leader.ReconcileMisses < t.Settings.ReconcileMissesBeforeResend)
            {
                Steps.Schedule(leader, OrderWork.Reconcile, t.Now + t.Settings.ReconcileInterval);
                return;
            }

            CancelWhatWasAsked(t);
            if (Steps.IsFinal(leader.Status))
            {
                return;
            }

            if (ProcessedByIbkr(t))
            {
                // IBKR took the request these tickets came in (another of its orders is there), so the absent ones were
                // refused. A ticket is never sent again on its own.
                foreach (var order in Steps.Sending(t).ToList())
                {
                    Steps.Reject(t, order, RejectionReasonCode.BrokerRejected,
                        $"IBKR took the request of its group but not this ticket (absent from {leader.ReconcileMisses} live-order reads and the trades)");
                }

                return;
            }

            if (leader.FirstSentAt is { } first && t.Now - first >= t.Settings.ResendWindow)
            {
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"not found at IBKR, but first sent {first:u}: a resend now could place it twice (IBKR refuses a repeated cOID only within 24 h)");
                foreach (var order in Steps.Sending(t).ToList())
                {
                    Steps.HandToOperator(t, order, reason);
                }

                return;
            }

            if (leader.WorkAttempts >= t.Settings.MaxSubmitAttempts)
            {
                var reason = $"sent {leader.WorkAttempts} times and provably never reached IBKR (absent from {leader.ReconcileMisses} live-order polls)";
                foreach (var order in Steps.Sending(t).ToList())
                {
                    Steps.Fail(t, order, reason, "Ambiguous");
                }

                return;
            }

            leader.LastReason = $"not at IBKR after {leader.ReconcileMisses} live-order polls; sending again with the same cOID";
            Steps.Schedule(leader, OrderWork.Submit, t.Now);
        });

    public static readonly Rule ReadAgain = new("read-again",
        "The live orders could not be read: read again later. An order whose outcome is unknown never ends Failed; past the resend window it goes to an operator.",
        t =>
        {
            var leader = t.Order;
            leader.LastReason = t.InputAs<ReadFailed>().Failure.Reason;
            if (leader.FirstSentAt is { } first && t.Now - first >= t.Settings.ResendWindow)
            {
                foreach (var order in Steps.Sending(t).ToList())
                {
                    Steps.HandToOperator(t, order, $"whether IBKR has the order could not be read since it was sent ({leader.LastReason})");
                }

                return;
            }

            Steps.Schedule(leader, OrderWork.Reconcile, t.Now + t.Settings.ReconcileInterval);
        });

    /// <summary>
    /// Orders of the group still being sent after an answer or a read that settled others: each is looked for in the
    /// live orders again (the leader reconciles itself with the rest of its group; a member whose leader IBKR has,
    /// alone), counting <paramref name="misses"/> already.
    /// </summary>
    internal static void LookForTheRest(Transition t, int misses)
    {
        var rest = Steps.Sending(t).ToList();
        var owners = rest.Contains(t.Order) ? [t.Order] : rest;
        foreach (var order in owners)
        {
            order.ReconcileMisses = misses;
            order.FirstSentAt ??= t.Order.FirstSentAt;
            Steps.Schedule(order, OrderWork.Reconcile, t.Now + t.Settings.ReconcileInterval);
        }
    }

    /// <summary>True when IBKR processed the request the group's orders still being sent came in: another order of it is at IBKR.</summary>
    private static bool ProcessedByIbkr(Transition t) =>
        t.Order.SubmittedWithOrderId is not null
        || t.Group.Any(o => o.Status is OrderStatus.Submitted or OrderStatus.Working or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel or OrderStatus.Filled
            || (o.Status != OrderStatus.Submitting && o.BrokerOrderId is not null));

    /// <summary>
    /// The group provably did not reach IBKR: a leader with a cancel asked for is cancelled with the whole group, a
    /// member with one alone. Nothing is sent after a cancel the processor accepted.
    /// </summary>
    private static void CancelWhatWasAsked(Transition t)
    {
        var leader = t.Order;
        foreach (var order in Steps.Sending(t).Where(o => leader.CancelRequested || o.CancelRequested).ToList())
        {
            Steps.Cancel(t, order, order.CancelReason ?? leader.CancelReason ?? "cancel requested");
        }
    }
}

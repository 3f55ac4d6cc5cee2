using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>Rules for IBKR's what-if under a PlaceOrder's margin policy.</summary>
internal static class MarginRules
{
    public static readonly Rule Checked = new("apply-policy",
        "Reference checks first (an order accepted with ReferenceCheck): a ticket on the leader's contract over its maximum notional at the what-if's reference price, outside its price band, or without a reference price under WhenNoReferencePrice=Reject rejects the group (MaxNotionalExceeded, OutsidePriceBand, ReferencePriceUnavailable). Then, only if a margin policy was asked: MarginCheckCompleted with the figures; approved (or reference-only): MarginApproved and the submission due now; refused: the group is Rejected (MarginPolicy).",
        t =>
        {
            var leader = t.Order;
            var figures = t.InputAs<MarginChecked>().Figures;
            if (leader.ReferenceCheck)
            {
                var open = t.Group.Where(o => !Steps.IsFinal(o.Status)).ToList();
                if (ReferencePriceRules.AgainstReference(open, figures.Amount, t.Settings.AllowWithoutReferencePrice) is { Code: { } code } refused)
                {
                    foreach (var order in open)
                    {
                        Steps.Reject(t, order, code, refused.Reason!);
                    }

                    return;
                }

                if (leader.MarginCheck == MarginCheckPolicy.None)
                {
                    // A reference-only what-if: no margin policy was asked, so no MarginCheckCompleted is published.
                    Approve(t, leader);
                    return;
                }
            }

            var (approved, reason) = MarginPolicy.Evaluate(leader.MarginCheck, figures, t.Settings.MaxInitialMarginShareOfEquity);
            t.Emit(leader, OrderLifecycle.MarginCompleted(leader.UserId, leader.AccountId, figures) with { Approved = approved, PolicyReason = reason });
            if (approved)
            {
                Approve(t, leader);
                return;
            }

            foreach (var order in t.Group.Where(o => !Steps.IsFinal(o.Status)))
            {
                Steps.Reject(t, order, RejectionReasonCode.MarginPolicy, reason!);
            }
        });

    private static void Approve(Transition t, OrderSaga leader)
    {
        leader.Status = OrderStatus.MarginApproved;
        Steps.Schedule(leader, OrderWork.Submit, t.Now);
        leader.WorkAttempts = 0;
    }

    public static readonly Rule CheckAgainOrFail = new("what-if-again-or-fail",
        "The what-if could not be run: a set-up, token or partner failure waits without spending an attempt (at most Lifecycle:MaxWaitBeforeSend from the order's arrival); a user PiTrade does not entitle is Rejected (UserNotEntitled); otherwise run again after a backoff, or Failed after the last attempt (never sent).",
        t =>
        {
            var leader = t.Order;
            var failure = t.InputAs<ReadFailed>().Failure;
            leader.LastReason = failure.Reason;
            if (failure.Waits && t.Now - leader.CreatedAt < t.Settings.MaxWaitBeforeSend)
            {
                Steps.RefundAttempt(leader);
                Steps.Schedule(leader, OrderWork.CheckMargin, t.Now + t.Settings.MaxRetryDelay);
                return;
            }

            if (failure.UserNotEntitled)
            {
                foreach (var order in t.Group.Where(o => !Steps.IsFinal(o.Status)))
                {
                    Steps.Reject(t, order, RejectionReasonCode.UserNotEntitled, failure.Reason);
                }

                return;
            }

            if (failure.Retryable && !failure.Waits && leader.WorkAttempts < t.Settings.MaxSubmitAttempts)
            {
                Steps.Schedule(leader, OrderWork.CheckMargin, t.Now + t.Settings.Backoff(leader.WorkAttempts));
                return;
            }

            foreach (var order in t.Group.Where(o => !Steps.IsFinal(o.Status)))
            {
                Steps.Fail(t, order, $"the margin check could not be run: {failure.Reason}", failure.Kind);
            }
        });
}

using System.Globalization;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Rules for a worker claiming an order's due work. A claim takes a lease (the work's time becomes the lease's end, and
/// what is due after it is the safe follow-up) and a new token, committed before IBKR is called.
/// </summary>
internal static class ClaimRules
{
    public static readonly Rule ClaimMarginCheck = new("claim-what-if",
        "MarginChecking under a new claim (the what-if is a read: a crash just runs it again); after too many attempts the order fails, never sent.",
        t =>
        {
            if (HaltRules.Refuses(t))
            {
                return;
            }

            var order = t.Order;
            if (order.WorkAttempts >= t.Settings.MaxSubmitAttempts)
            {
                foreach (var member in t.Group.Where(o => !Steps.IsFinal(o.Status)))
                {
                    Steps.Fail(t, member, $"the margin check did not complete in {order.WorkAttempts} attempts; the order was not sent", "MarginCheck");
                }

                return;
            }

            order.Status = OrderStatus.MarginChecking;
            order.WorkAttempts++;
            Steps.Claim(t, OrderWork.CheckMargin);
        });

    public static readonly Rule ClaimSubmit = new("claim-send",
        "Checked before anything is sent: a cancelled leader cancels the group instead; a first send older than the resend window goes to an operator; legs or members cancelled meanwhile are cancelled and left out. The rest becomes Submitting, committed before the call, with a reconciliation due when the lease ends.",
        t =>
        {
            if (HaltRules.Refuses(t))
            {
                return;
            }

            var leader = t.Order;
            if (leader.CancelRequested)
            {
                foreach (var order in t.Group.Where(o => !Steps.IsFinal(o.Status)))
                {
                    Steps.Cancel(t, order, leader.CancelReason ?? "cancel requested");
                }

                return;
            }

            if (leader.FirstSentAt is { } first && t.Now - first >= t.Settings.ResendWindow)
            {
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"first sent {first:u}; a resend now could place it twice (IBKR refuses a repeated cOID only within 24 h), so it is not sent again and IBKR's trades must tell whether it reached IBKR");
                foreach (var order in t.Group.Where(o => !Steps.IsFinal(o.Status)))
                {
                    Steps.HandToOperator(t, order, reason);
                }

                return;
            }

            foreach (var member in t.Carried.Where(m => !Steps.IsFinal(m.Status)))
            {
                if (member.CancelRequested)
                {
                    Steps.Cancel(t, member, member.CancelReason ?? "cancel requested");
                }
                else
                {
                    member.Status = OrderStatus.Submitting;
                    member.UpdatedAt = t.Now;
                }
            }

            leader.Status = OrderStatus.Submitting;
            leader.WorkAttempts++;
            leader.ReconcileMisses = 0;
            leader.FirstSentAt ??= t.Now;
            Steps.Claim(t, OrderWork.Reconcile);
        });

    public static readonly Rule ClaimReconcile = new("claim-read",
        "The reconciliation runs under a new claim; one that could not settle the order within the resend window (its reads keep failing or timing out) hands it to an operator instead.",
        t =>
        {
            var leader = t.Order;
            if (leader.FirstSentAt is { } first && t.Now - first >= t.Settings.ResendWindow)
            {
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"first sent {first:u} and whether IBKR has it is still not known ({leader.LastReason ?? "no answer in time"}); past the resend window it is never sent again (IBKR refuses a repeated cOID only within 24 h)");
                foreach (var order in t.Group.Where(o => o.Status == OrderStatus.Submitting))
                {
                    Steps.HandToOperator(t, order, reason);
                }

                return;
            }

            Steps.Claim(t, OrderWork.Reconcile);
        });

    public static readonly Rule ClaimBounded = new("claim-bounded",
        "The work runs under a new claim and counts an attempt; past the bound: a cancel gives up (the order keeps working, the CancelOrder is refused), a modification is refused, a settlement goes to an operator.",
        t =>
        {
            var order = t.Order;
            var (bound, work) = (order.WorkDue == OrderWork.Cancel ? t.Settings.MaxCancelAttempts : t.Settings.MaxSubmitAttempts, order.WorkDue);
            if (order.WorkAttempts < bound)
            {
                order.WorkAttempts++;
                Steps.Claim(t, work);
                return;
            }

            switch (work)
            {
                case OrderWork.Cancel:
                    GiveUpCancel(t, order, $"the cancel could not be confirmed at IBKR after {order.WorkAttempts} attempts ({order.LastReason ?? "no answer"})");
                    break;
                case OrderWork.Modify:
                    order.PendingModification = null;
                    Steps.ClearWork(order);
                    Steps.RefuseCommand(t, order, nameof(ModifyOrder), order.UserId, RejectionReasonCode.BrokerRejected,
                        $"the modification could not be sent in {t.Settings.MaxSubmitAttempts} attempts ({order.LastReason}); the order keeps working as IBKR reports it.");
                    break;
                default:
                    Steps.HandToOperator(t, order, $"IBKR no longer lists the order and its trades could not be read in {order.WorkAttempts} attempts ({order.LastReason})");
                    break;
            }
        });

    public static readonly Rule DropStaleWork = new("drop-stale-work",
        "Work that does not belong to this status (every transition out of a status clears its work): cleared, nothing sent.",
        t => Steps.ClearWork(t.Order),
        Impossible: true);

    /// <summary>The cancel is abandoned: the order goes back to working and the CancelOrder is answered with why.</summary>
    internal static void GiveUpCancel(Transition t, OrderSaga order, string reason)
    {
        order.CancelRequested = false;
        order.LastReason = reason;
        Steps.ClearWork(order);
        Steps.ChangeStatus(t, order, Steps.WorkingStatus(order), reason);
        Steps.RefuseCommand(t, order, nameof(CancelOrder), order.UserId, RejectionReasonCode.BrokerRejected,
            $"{reason}; the order keeps working as IBKR reports it.");
    }
}

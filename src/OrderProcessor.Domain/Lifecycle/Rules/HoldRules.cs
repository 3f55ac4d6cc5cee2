using System.Globalization;
using System.Text.Json;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Rules for work that met IBKR unavailable (a maintenance window or an outage). The guard says so before anything is
/// sent, so nothing of the work reached IBKR: an order not yet at IBKR is held (and sent when IBKR is back, or rejected
/// after <see cref="LifecycleSettings.MaxHold"/>), work on an order IBKR has waits for the window's end. No attempt is
/// spent on either.
/// </summary>
internal static class HoldRules
{
    public static readonly Rule Hold = new("hold",
        "Nothing of it is at IBKR and IBKR is unavailable: a cancel asked for meanwhile cancels it; held since longer than Lifecycle:MaxHold, it is Rejected (HoldExpired), nothing sent; otherwise Held (OrderHeld once per hold), its attempt given back, due again when IBKR is expected back.",
        t => HoldOrExpire(t, t.Order.Status == OrderStatus.Submitting ? [.. Steps.Sending(t)] : [t.Order]));

    public static readonly Rule HoldOrReadAfterWindow = new("hold-or-read-after-window",
        "A send that met IBKR unavailable is held as from MarginChecking (nothing was sent); a reconciliation that did is read again when IBKR is expected back (whether IBKR has the order is still unknown: never sent blind).",
        t =>
        {
            if (t.InputAs<BrokerUnavailable>().Work == OrderWork.Submit)
            {
                HoldOrExpire(t, [.. Steps.Sending(t)]);
                return;
            }

            AgainAfterWindow(t);
        });

    public static readonly Rule AfterWindow = new("after-window",
        "Work on an order IBKR has (a cancel, a modification, a settlement) met IBKR unavailable: nothing was sent; the same work is due again when IBKR is expected back, no attempt spent, status unchanged.",
        AgainAfterWindow);

    public static readonly Rule ModifyHeld = new("modify-held",
        "Nothing of it is at IBKR: validated as IBKR would, the changes become the order's terms at once (OrderModified); nothing is sent. An order with a what-if (margin policy or reference price) runs it again on the new terms before it is sent.",
        t =>
        {
            var command = t.InputAs<ModifyRequested>().Command;
            var order = t.Order;
            var violations = ModifyOrderValidator.Validate(order, command);
            if (violations.Count > 0)
            {
                Steps.RefuseCommand(t, order, nameof(ModifyOrder), command.UserId, RejectionReasonCode.ValidationFailed,
                    string.Join(" ", violations.Select(v => v.Message)), violations);
                return;
            }

            order.PendingModification = JsonSerializer.Serialize(command, ContractJson.Options);
            ModifyRules.ApplyModification(t, order, command);
            order.PendingModification = null;
            order.UpdatedAt = t.Now;
            if (order.WorkDue == OrderWork.Submit && (order.MarginCheck != MarginCheckPolicy.None || order.ReferenceCheck))
            {
                // The what-if approved the old terms: the new ones are checked before anything is sent.
                order.WorkDue = OrderWork.CheckMargin;
            }
        });

    /// <summary>Holds <paramref name="held"/> (the orders the claimed work was for), or rejects them when the hold is over.</summary>
    private static void HoldOrExpire(Transition t, IReadOnlyList<OrderSaga> held)
    {
        var unavailable = t.InputAs<BrokerUnavailable>();
        var leader = t.Order;
        var work = unavailable.Work == OrderWork.CheckMargin ? OrderWork.CheckMargin : OrderWork.Submit;
        // The group as a whole: a what-if holds only its leader (the members wait in Received), but a cancel or the end of
        // the hold ends every member still open, or they would be left Received with no work due.
        var open = t.Group.Where(o => !Steps.IsFinal(o.Status)).ToList();
        foreach (var order in open.Where(o => leader.CancelRequested || o.CancelRequested))
        {
            // Nothing was sent: a cancel the processor accepted is done now.
            Steps.Cancel(t, order, order.CancelReason ?? leader.CancelReason ?? "cancel requested");
        }

        held = [.. held.Where(o => !Steps.IsFinal(o.Status))];
        if (held.Count == 0 || Steps.IsFinal(leader.Status))
        {
            return;
        }

        var since = leader.HeldSince ?? t.Now;
        var rejectAfter = since + t.Settings.MaxHold;
        if (t.Now >= rejectAfter)
        {
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"held since {since:u} because {unavailable.Reason}; IBKR was not available within Lifecycle:MaxHold ({t.Settings.MaxHold}); nothing was sent");
            foreach (var order in t.Group.Where(o => !Steps.IsFinal(o.Status)))
            {
                Steps.Reject(t, order, RejectionReasonCode.HoldExpired, reason);
            }

            return;
        }

        Steps.RefundAttempt(leader);
        if (leader.WorkAttempts == 0)
        {
            // Nothing of this order was ever sent: its resend window has not started.
            leader.FirstSentAt = null;
        }

        foreach (var order in held)
        {
            var previous = order.Status;
            var firstHold = order.HeldSince is null;
            order.HeldSince ??= since;
            order.HoldUntil = unavailable.ExpectedUntil;
            order.Status = OrderStatus.Held;
            order.LastReason = unavailable.Reason;
            order.UpdatedAt = t.Now;
            if (firstHold)
            {
                t.Emit(order, new OrderHeld
                {
                    PreviousStatus = previous,
                    Cause = unavailable.Cause,
                    Region = unavailable.Region,
                    Reason = unavailable.Reason,
                    ExpectedUntil = unavailable.ExpectedUntil,
                    RejectAfter = rejectAfter,
                });
            }
        }

        // Due when IBKR is expected back (the claim releases it at once when IBKR says so earlier), and at the latest
        // when the hold is over (the claim then sends it if IBKR is back, or rejects it).
        var due = unavailable.ExpectedUntil is { } until && until > t.Now ? until : t.Now + t.Settings.HoldProbeInterval;
        Steps.Schedule(leader, work, due < rejectAfter ? due : rejectAfter);
    }

    /// <summary>The claimed work is due again when IBKR is expected back; the attempt its claim counted is given back.</summary>
    private static void AgainAfterWindow(Transition t)
    {
        var unavailable = t.InputAs<BrokerUnavailable>();
        var order = t.Order;
        if (unavailable.Work is OrderWork.Submit or OrderWork.CheckMargin or OrderWork.None)
        {
            // A placement's work cannot be current on an order IBKR has: nothing to do again.
            Steps.ClearWork(order);
            return;
        }

        if (unavailable.Work != OrderWork.Reconcile)
        {
            // Reconciliations count no attempts; every other claim did.
            Steps.RefundAttempt(order);
        }

        order.LastReason = unavailable.Reason;
        var due = unavailable.ExpectedUntil is { } until && until > t.Now ? until : t.Now + t.Settings.HoldProbeInterval;
        Steps.Schedule(order, unavailable.Work, due);
    }
}

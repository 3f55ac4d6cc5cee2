using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// Rules for what IBKR's live orders report. Reports may come late, twice or out of order (two polls, a poll and a
/// reconciliation): filled never goes back, final stays final, and a working report does not undo a pending cancel.
/// </summary>
internal static class ObservationRules
{
    public static readonly Rule LeftToTheSend = new("left-to-the-send",
        "Nothing yet: the send's answer, or its group's reconciliation, takes the whole group on from what IBKR reports (a poll sees one order, and would leave the rest of its group behind).",
        _ => { });

    public static readonly Rule FollowSubmitted = new("working",
        "Working (or PartiallyFilled with OrderPartiallyFilled when something filled).",
        t =>
        {
            var order = t.Order;
            var filledMore = Steps.Absorb(order, t.InputAs<Observed>().Observation);
            Steps.ChangeStatus(t, order, Steps.WorkingStatus(order), null);
            if (filledMore)
            {
                Steps.EmitPartialFill(t, order, t.InputAs<Observed>().Observation.RemainingQuantity);
            }
        });

    public static readonly Rule FollowFills = new("fill-progress",
        "More filled: PartiallyFilled with OrderPartiallyFilled; otherwise nothing changes.",
        t =>
        {
            var order = t.Order;
            var observation = t.InputAs<Observed>().Observation;
            if (!Steps.Absorb(order, observation))
            {
                return;
            }

            order.Status = OrderStatus.PartiallyFilled;
            Steps.EmitPartialFill(t, order, observation.RemainingQuantity);
        });

    public static readonly Rule FillsWhileCancelling = new("fills-while-cancelling",
        "The cancel is not done yet: more filled is reported (OrderPartiallyFilled) and the order stays PendingCancel; if IBKR had acknowledged the cancel and now reports the order working, our cancel is checked again after the confirmation timeout, and one nobody here asked for is over: back to working.",
        t =>
        {
            var order = t.Order;
            var observation = t.InputAs<Observed>().Observation;
            if (Steps.Absorb(order, observation))
            {
                Steps.EmitPartialFill(t, order, observation.RemainingQuantity);
            }

            if (order.WorkDue != OrderWork.None)
            {
                return;
            }

            if (order.CancelRequested)
            {
                // IBKR had acknowledged our cancel and now reports the order working: check again and send it again if need be.
                Steps.Schedule(order, OrderWork.Cancel, t.Now + t.Settings.CancelConfirmTimeout);
            }
            else
            {
                // A cancel pending at IBKR that nobody here asked for did not happen: the order works on.
                Steps.ChangeStatus(t, order, Steps.WorkingStatus(order), "IBKR reports the order working again");
            }
        });

    public static readonly Rule BackFromOperator = new("back-to-working",
        "IBKR lists the order again: it is followed as IBKR reports it (Working, PartiallyFilled or PendingCancel); a cancel accepted before is sent now.",
        t =>
        {
            var order = t.Order;
            var observation = t.InputAs<Observed>().Observation;
            var filledMore = Steps.Absorb(order, observation);
            var status = observation.State is BrokerOrderState.PendingCancel or BrokerOrderState.PreCancelled ? OrderStatus.PendingCancel : Steps.WorkingStatus(order);
            Steps.ChangeStatus(t, order, status, "IBKR lists the order again");
            if (filledMore)
            {
                Steps.EmitPartialFill(t, order, observation.RemainingQuantity);
            }

            if (order.CancelRequested && status != OrderStatus.PendingCancel)
            {
                // A cancel accepted before the order was handed to an operator still stands.
                Steps.BeginCancel(t, order, order.CancelReason ?? "cancel requested");
            }
        });

    public static readonly Rule CancelPendingAtIbkr = new("pending-cancel",
        "A cancel is pending at IBKR (another platform, or an earlier request of ours): PendingCancel; a modification waiting or under way is dropped and its ModifyOrder answered.",
        t =>
        {
            var order = t.Order;
            var observation = t.InputAs<Observed>().Observation;
            if (Steps.Absorb(order, observation))
            {
                Steps.EmitPartialFill(t, order, observation.RemainingQuantity);
            }

            if (order.PendingModification is not null || order.WorkDue == OrderWork.Modify)
            {
                // The order is being cancelled: a modification waiting or under way is dropped (IBKR decides one already sent).
                order.PendingModification = null;
                Steps.ClearWork(order);
                Steps.RefuseCommand(t, order, nameof(ModifyOrder), order.UserId, RejectionReasonCode.InvalidState,
                    "a cancel of the order is pending at IBKR; the modification is dropped (if it had reached IBKR, IBKR decides).");
            }

            Steps.ChangeStatus(t, order, OrderStatus.PendingCancel, order.CancelReason ?? "cancel pending at IBKR");
        });

    public static readonly Rule CancelAcknowledged = new("cancel-acknowledged",
        "IBKR shows the cancel pending: it is not sent again while nobody is sending it; more filled is reported.",
        t =>
        {
            var order = t.Order;
            var observation = t.InputAs<Observed>().Observation;
            if (Steps.Absorb(order, observation))
            {
                Steps.EmitPartialFill(t, order, observation.RemainingQuantity);
            }

            if (order.WorkDue == OrderWork.Cancel && order.ClaimToken is null)
            {
                Steps.ClearWork(order);
            }
        });

    public static readonly Rule Filled = new("filled",
        "IBKR reports it filled: Filled with IBKR's quantity and average price (a fill that wins the race with a cancel is reported as a fill). IBKR's status decides, never a comparison with the quantity: a cash-quantity order has none.",
        t =>
        {
            var order = t.Order;
            Steps.Absorb(order, t.InputAs<Observed>().Observation);
            Steps.CompleteFill(t, order);
        });

    public static readonly Rule Cancelled = new("cancelled",
        "IBKR reports it cancelled (by our request, the destination, its time in force, or another platform): Cancelled with what filled before.",
        t =>
        {
            var order = t.Order;
            var observation = t.InputAs<Observed>().Observation;
            if (Steps.Absorb(order, observation))
            {
                Steps.EmitPartialFill(t, order, 0);
            }

            Steps.Cancel(t, order, order.CancelRequested ? order.CancelReason ?? "cancel requested" : CancelledAtIbkr(order));
        });

    public static readonly Rule Inactive = new("inactive",
        "IBKR reports it inactive (refused or cancelled by the system or the destination): Rejected, or Cancelled if part of it filled.",
        t =>
        {
            var order = t.Order;
            var observation = t.InputAs<Observed>().Observation;
            if (Steps.Absorb(order, observation))
            {
                Steps.EmitPartialFill(t, order, 0);
            }

            if (order.FilledQuantity > 0)
            {
                Steps.Cancel(t, order, "IBKR reports the order inactive after part of it filled");
            }
            else
            {
                Steps.Reject(t, order, RejectionReasonCode.BrokerRejected, "IBKR reports the order inactive: it is not working at the destination");
            }
        });

    public static readonly Rule NeverSent = new("never-sent",
        "IBKR reports an order that was never sent: nothing more is sent for it and an operator is asked.",
        t => Steps.HandToOperator(t, t.Order, $"IBKR reports the order ({t.InputAs<Observed>().Observation.State}) although the processor never sent it"),
        Impossible: true);

    public static readonly Rule CountUnlisted = new("count-unlisted",
        "Not listed although IBKR has it: counted; after enough consecutive polls it ended in an earlier session and is settled from the trades.",
        t =>
        {
            var order = t.Order;
            order.UnlistedPolls++;
            if (order.UnlistedPolls >= t.Settings.UnlistedPollsBeforeSettle && order.ClaimToken is null && order.WorkDue is OrderWork.None or OrderWork.Cancel)
            {
                Steps.Schedule(order, OrderWork.Settle, t.Now);
                order.WorkAttempts = 0;
            }
        });

    public static readonly Rule Nothing = new("nothing",
        "Nothing changes (final is final; an order not sent yet or being sent is not followed by the status poll).",
        _ => { });

    /// <summary>Takes in a report for <paramref name="order"/> inside another rule, through the table, as its status now stands.</summary>
    internal static void Apply(Transition t, OrderSaga order, BrokerOrderObservation observation) =>
        OrderLifecycle.ApplyWithin(t, order, new Observed(observation));

    /// <summary>Why IBKR cancelled an order nobody here asked to cancel, as far as can be told.</summary>
    private static string CancelledAtIbkr(OrderSaga order) =>
        FillFigures.IsCashQuantity(order) && order.FilledQuantity > 0
            ? $"cancelled at IBKR with {order.FilledQuantity} filled for a cash quantity of {order.CashQuantity} (IBKR ends a cash-quantity order once its cash is spent; or the destination, the time in force, or another platform)"
            : "cancelled at IBKR (by the destination, the time in force, or another platform)";
}

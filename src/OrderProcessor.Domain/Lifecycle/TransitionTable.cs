using OrderProcessor.Contracts;
using static OrderProcessor.Contracts.OrderStatus;
using Input = OrderProcessor.Orders.LifecycleInput;

namespace OrderProcessor.Orders;

/// <summary>
/// The order lifecycle in one place: for every status and every kind of input, the rule that applies. A pair that is
/// not declared throws <see cref="UndeclaredTransitionException"/>; a test checks that every pair is declared and that
/// docs/lifecycle.md shows exactly this table.
/// </summary>
public static class TransitionTable
{
    private static readonly OrderStatus[] Finals = [Filled, Cancelled, Rejected, Failed];
    private static readonly OrderStatus[] NotSent = [Received, MarginChecking, MarginApproved];
    private static readonly OrderStatus[] AtIbkr = [Submitted, Working, PartiallyFilled];
    private static readonly OrderStatus[] Followed = [Submitted, Working, PartiallyFilled, PendingCancel];

    // Declared before Cells: static fields are initialised in the order they appear.
    private static readonly Rule UnexpectedResult = new("unexpected-result",
        "The claim is current but the status is not one the claim leaves: handled as a late result.",
        t => LateRules.AddWhatIbkrSaid.Apply(t),
        Impossible: true);

    /// <summary>Every cell, keyed by status and input.</summary>
    public static IReadOnlyDictionary<(OrderStatus Status, LifecycleInput Input), Rule> Cells { get; } = Declare().Cells;

    /// <summary>The rule for <paramref name="input"/> in <paramref name="status"/>.</summary>
    public static Rule For(OrderStatus status, LifecycleInput input) =>
        Cells.TryGetValue((status, input), out var rule) ? rule : throw new UndeclaredTransitionException(status, input);

    private static TableBuilder Declare()
    {
        var t = new TableBuilder();

        // Commands. A command from a user who does not own the order is refused before the table is consulted.
        t.On(Input.CancelOrder).In(NotSent).Do(CommandRules.CancelBeforeSending);
        t.On(Input.CancelOrder).In(Submitting).Do(CommandRules.CancelWhileSubmitting);
        t.On(Input.CancelOrder).In(AtIbkr).Do(CommandRules.CancelAtIbkr);
        t.On(Input.CancelOrder).In(PendingCancel).Do(CommandRules.CancelAgain);
        t.On(Input.CancelOrder, Input.ModifyOrder).In(NeedsAttention).Do(CommandRules.RefuseNeedsAttention);
        t.On(Input.CancelOrder, Input.ModifyOrder).In(Finals).Do(CommandRules.RefuseFinal);
        t.On(Input.ModifyOrder).In(AtIbkr).Do(CommandRules.ModifyAtIbkr);
        t.On(Input.ModifyOrder).In([.. NotSent, Submitting, PendingCancel]).Do(CommandRules.RefuseModifyNotAtIbkr);

        // Held (issue 13): accepted, nothing of it at IBKR, IBKR unavailable. A cancel cancels it at once; a modification
        // changes its terms at once; its release is an ordinary claim of its send or what-if.
        t.On(Input.CancelOrder).In(Held).Do(CommandRules.CancelBeforeSending);
        t.On(Input.ModifyOrder).In(Held).Do(HoldRules.ModifyHeld);
        t.On(Input.ClaimMarginCheck).In(Held).Do(ClaimRules.ClaimMarginCheck);
        t.On(Input.ClaimSubmit).In(Held).Do(ClaimRules.ClaimSubmit);
        t.On(Input.ClaimReconcile, Input.ClaimCancel, Input.ClaimModify, Input.ClaimSettle).In(Held).Do(ClaimRules.DropStaleWork);
        t.On(Input.LateResult).In(Held).Do(LateRules.AddWhatIbkrSaid);
        t.On(Input.ObservedWorking, Input.ObservedPendingCancel, Input.ObservedFilled, Input.ObservedCancelled, Input.ObservedInactive).In(Held).Do(ObservationRules.NeverSent);
        t.On(Input.Unlisted).In(Held).Do(ObservationRules.Nothing);

        // Claims. Work that does not belong to a status cannot be due in it; if it is, it is dropped.
        t.On(Input.ClaimMarginCheck).In(Received, MarginChecking).Do(ClaimRules.ClaimMarginCheck);
        t.On(Input.ClaimMarginCheck).In([MarginApproved, Submitting, .. Followed, NeedsAttention, .. Finals]).Do(ClaimRules.DropStaleWork);
        t.On(Input.ClaimSubmit).In(Received, MarginApproved, Submitting).Do(ClaimRules.ClaimSubmit);
        t.On(Input.ClaimSubmit).In([MarginChecking, .. Followed, NeedsAttention, .. Finals]).Do(ClaimRules.DropStaleWork);
        t.On(Input.ClaimReconcile).In(Submitting).Do(ClaimRules.ClaimReconcile);
        t.On(Input.ClaimReconcile).In([.. NotSent, .. Followed, NeedsAttention, .. Finals]).Do(ClaimRules.DropStaleWork);
        t.On(Input.ClaimCancel).In(PendingCancel).Do(ClaimRules.ClaimBounded);
        t.On(Input.ClaimCancel).In([.. NotSent, Submitting, .. AtIbkr, NeedsAttention, .. Finals]).Do(ClaimRules.DropStaleWork);
        t.On(Input.ClaimModify).In(AtIbkr).Do(ClaimRules.ClaimBounded);
        t.On(Input.ClaimModify).In([.. NotSent, Submitting, PendingCancel, NeedsAttention, .. Finals]).Do(ClaimRules.DropStaleWork);
        t.On(Input.ClaimSettle).In(Followed).Do(ClaimRules.ClaimBounded);
        t.On(Input.ClaimSettle).In([.. NotSent, Submitting, NeedsAttention, .. Finals]).Do(ClaimRules.DropStaleWork);

        // Results of the claim the order still carries. Each can only meet the statuses its claim leaves the order in
        // (or that news from IBKR moves it to without touching the claim); anywhere else it is treated as late.
        Result(t, [Input.MarginChecked], [MarginChecking], MarginRules.Checked);
        Result(t, [Input.MarginCheckFailed], [MarginChecking], MarginRules.CheckAgainOrFail);
        Result(t, [Input.SubmissionAccepted], [Submitting], SubmissionRules.Accepted);
        Result(t, [Input.SubmissionAlreadyRegistered], [Submitting], SubmissionRules.AlreadyRegistered);
        Result(t, [Input.SubmissionRejected], [Submitting], SubmissionRules.Rejected);
        Result(t, [Input.SubmissionNotSent], [Submitting], SubmissionRules.NotSent);
        Result(t, [Input.SubmissionAmbiguous], [Submitting], SubmissionRules.Ambiguous);
        Result(t, [Input.ReconcileFound], [Submitting], SubmissionRules.Found);
        Result(t, [Input.ReconcileAbsent], [Submitting], SubmissionRules.Absent);
        Result(t, [Input.ReconcileFailed], [Submitting], SubmissionRules.ReadAgain);
        Result(t, [Input.CancelSent, Input.CancelAmbiguous], [PendingCancel], CancelRules.Sent);
        Result(t, [Input.CancelRefused], [PendingCancel], CancelRules.Refused);
        Result(t, [Input.CancelNotSent], [PendingCancel], CancelRules.SendAgain);
        Result(t, [Input.ModifyAccepted], AtIbkr, ModifyRules.Accepted);
        Result(t, [Input.ModifyRejected], AtIbkr, ModifyRules.Rejected);
        Result(t, [Input.ModifyNotSent], AtIbkr, ModifyRules.SendAgain);
        Result(t, [Input.ModifyAmbiguous], AtIbkr, ModifyRules.Unknown);
        Result(t, [Input.SettleFilled], Followed, SettleRules.Filled);
        Result(t, [Input.SettleEnded], Followed, SettleRules.Ended);
        Result(t, [Input.SettleUndetermined], Followed, SettleRules.Undetermined);
        Result(t, [Input.SettleFailed], Followed, SettleRules.ReadAgain);
        // IBKR unavailable (known before anything was sent): held, or the same work again after the window.
        t.On(Input.BrokerUnavailable).In(MarginChecking).Do(HoldRules.Hold);
        t.On(Input.BrokerUnavailable).In(Submitting).Do(HoldRules.HoldOrReadAfterWindow);
        t.On(Input.BrokerUnavailable).In(Followed).Do(HoldRules.AfterWindow);
        t.On(Input.BrokerUnavailable).In([Received, MarginApproved, Held, NeedsAttention, .. Finals]).Do(UnexpectedResult);
        t.On(Input.LateResult).In([.. NotSent, Submitting, .. Followed, NeedsAttention]).Do(LateRules.AddWhatIbkrSaid);
        t.On(Input.LateResult).In(Finals).Do(ObservationRules.Nothing);

        // News from IBKR's live orders.
        t.On(Input.ObservedWorking, Input.ObservedPendingCancel, Input.ObservedFilled, Input.ObservedCancelled, Input.ObservedInactive).In(NotSent).Do(ObservationRules.NeverSent);
        t.On(Input.ObservedWorking, Input.ObservedPendingCancel, Input.ObservedFilled, Input.ObservedCancelled, Input.ObservedInactive).In(Submitting).Do(ObservationRules.LeftToTheSend);
        t.On(Input.ObservedWorking).In(Submitted).Do(ObservationRules.FollowSubmitted);
        t.On(Input.ObservedWorking).In(Working, PartiallyFilled).Do(ObservationRules.FollowFills);
        t.On(Input.ObservedWorking).In(PendingCancel).Do(ObservationRules.FillsWhileCancelling);
        t.On(Input.ObservedWorking, Input.ObservedPendingCancel).In(NeedsAttention).Do(ObservationRules.BackFromOperator);
        t.On(Input.ObservedPendingCancel).In(AtIbkr).Do(ObservationRules.CancelPendingAtIbkr);
        t.On(Input.ObservedPendingCancel).In(PendingCancel).Do(ObservationRules.CancelAcknowledged);
        t.On(Input.ObservedFilled).In([.. Followed, NeedsAttention]).Do(ObservationRules.Filled);
        t.On(Input.ObservedCancelled).In([.. Followed, NeedsAttention]).Do(ObservationRules.Cancelled);
        t.On(Input.ObservedInactive).In([.. Followed, NeedsAttention]).Do(ObservationRules.Inactive);
        t.On(Input.ObservedWorking, Input.ObservedPendingCancel, Input.ObservedFilled, Input.ObservedCancelled, Input.ObservedInactive).In(Finals).Do(ObservationRules.Nothing);
        t.On(Input.Unlisted).In(Followed).Do(ObservationRules.CountUnlisted);
        t.On(Input.Unlisted).In([.. NotSent, Submitting, NeedsAttention, .. Finals]).Do(ObservationRules.Nothing);
        return t;
    }

    /// <summary>A result applies in <paramref name="statuses"/>; in any other status it is handled as a late result (and counted as impossible).</summary>
    private static void Result(TableBuilder t, LifecycleInput[] inputs, OrderStatus[] statuses, Rule rule)
    {
        t.On(inputs).In(statuses).Do(rule);
        t.On(inputs).In([.. Enum.GetValues<OrderStatus>().Except(statuses)]).Do(UnexpectedResult);
    }

}

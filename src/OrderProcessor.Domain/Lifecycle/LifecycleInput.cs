namespace OrderProcessor.Orders;

/// <summary>
/// The kinds of input the state machine distinguishes: the rows of the transition table (docs/lifecycle.md). Every
/// <see cref="OrderInput"/> is classified into one of them, given the order it is applied to.
/// </summary>
public enum LifecycleInput
{
    // Commands about an order that exists.
    CancelOrder,
    ModifyOrder,

    // A worker claims the order's due work.
    ClaimMarginCheck,
    ClaimSubmit,
    ClaimReconcile,
    ClaimCancel,
    ClaimModify,
    ClaimSettle,

    // Results of the claim the order still carries.
    MarginChecked,
    MarginCheckFailed,
    SubmissionAccepted,
    SubmissionAlreadyRegistered,
    SubmissionRejected,
    SubmissionNotSent,
    SubmissionAmbiguous,
    ReconcileFound,
    ReconcileAbsent,
    ReconcileFailed,
    CancelSent,
    CancelRefused,
    CancelNotSent,
    CancelAmbiguous,
    ModifyAccepted,
    ModifyRejected,
    ModifyNotSent,
    ModifyAmbiguous,
    SettleFilled,
    SettleEnded,
    SettleUndetermined,
    SettleFailed,
    BrokerUnavailable,

    // A result of a claim the order no longer carries (expired, overtaken, or the order moved on).
    LateResult,

    // News from IBKR's live orders.
    ObservedWorking,
    ObservedPendingCancel,
    ObservedFilled,
    ObservedCancelled,
    ObservedInactive,
    Unlisted,
}

namespace OrderProcessor.Orders;

/// <summary>
/// The IBKR work an order is waiting for, with <see cref="OrderSaga.WorkDueAt"/>. The broker worker claims due work
/// from the store, so work survives crashes and restarts (no broker-side scheduler is needed).
/// </summary>
public enum OrderWork
{
    /// <summary>Nothing to do at IBKR (final, working, or part of another order's submission).</summary>
    None,

    /// <summary>Run IBKR's what-if and apply the margin policy.</summary>
    CheckMargin,

    /// <summary>Send the order: IBKR provably does not have it.</summary>
    Submit,

    /// <summary>The outcome of a send is unknown: look for the cOID in the live orders (and trades) before anything else.</summary>
    Reconcile,

    /// <summary>Send the cancel request, or check that a cancel sent earlier took effect and send it again if not.</summary>
    Cancel,

    /// <summary>Send the modification.</summary>
    Modify,

    /// <summary>IBKR no longer lists the order: find out from the trades how it ended, or hand it to an operator.</summary>
    Settle,
}

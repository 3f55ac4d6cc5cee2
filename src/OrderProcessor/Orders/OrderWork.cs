namespace OrderProcessor.Orders;

/// <summary>
/// The IBKR work an order is waiting for, with <see cref="Persistence.OrderSaga.WorkDueAt"/>. The broker worker picks
/// due work from PostgreSQL, so work survives crashes and restarts (no broker-side scheduler is needed).
/// </summary>
public enum OrderWork
{
    /// <summary>Nothing to do at IBKR (final, working, or part of another order's submission).</summary>
    None,

    /// <summary>Run IBKR's what-if and apply the margin policy.</summary>
    CheckMargin,

    /// <summary>Send the order: IBKR provably does not have it.</summary>
    Submit,

    /// <summary>The outcome of a send is unknown: look for the cOID in the live orders before anything else.</summary>
    Reconcile,

    /// <summary>Send the cancel request.</summary>
    Cancel,

    /// <summary>Send the modification.</summary>
    Modify,
}

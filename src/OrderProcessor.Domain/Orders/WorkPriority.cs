namespace OrderProcessor.Orders;

/// <summary>
/// In which order one user's due work is claimed: what stops or changes an order the user already has goes before what
/// places a new one, so a cancel is never stuck behind that user's own burst of placements. The worker's claim query
/// (<c>PostgresOrderStore.ClaimDueWorkAsync</c>) ranks each user's due work by this, then by due time, and takes at
/// most the user's share of the worker's slots; the lifecycle simulation claims in the same order.
/// </summary>
public static class WorkPriority
{
    /// <summary>A cancel or a modification, or any work of an order whose cancel was requested (its reconcile, a send the claim will cancel).</summary>
    public const int Stop = 0;

    /// <summary>Following up what IBKR already has or may have: a reconcile of an unknown send, a settlement.</summary>
    public const int FollowUp = 1;

    /// <summary>A new placement: its margin check or its send.</summary>
    public const int Place = 2;

    public static int Of(OrderWork work, bool cancelRequested) => work switch
    {
        _ when cancelRequested => Stop,
        OrderWork.Cancel or OrderWork.Modify => Stop,
        OrderWork.Reconcile or OrderWork.Settle => FollowUp,
        _ => Place,
    };

    public static int Of(OrderSaga order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return Of(order.WorkDue, order.CancelRequested);
    }
}

using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// Work a worker claimed: what to do, under which claim token, and the submission group (leader first) as the claim
/// committed it, so the call and its result need not read the orders again. The result names <see cref="Token"/>;
/// if the order no longer carries it when the result is written, the result is late. <see cref="Epoch"/> is the user's
/// lease epoch the work runs under: the result is written only while this instance still holds that lease.
/// </summary>
public sealed record ClaimedWork(OrderWork Work, Guid Token, IReadOnlyList<OrderSaga> Group, long Epoch)
{
    public OrderSaga Leader => Group[0];

    public Guid LeaderId => Leader.OrderId;

    public string UserId => Leader.UserId!;

    public string AccountId => Leader.AccountId!;
}

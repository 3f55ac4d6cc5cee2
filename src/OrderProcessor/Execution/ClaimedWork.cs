using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// Work the broker worker claimed: what to do, and the submission group (leader first) as the claim committed it, so
/// the call and its result need not read the orders again.
/// </summary>
public sealed record ClaimedWork(OrderWork Work, IReadOnlyList<OrderSaga> Group)
{
    public OrderSaga Leader => Group[0];

    public Guid LeaderId => Leader.OrderId;

    public string UserId => Leader.UserId!;

    public string AccountId => Leader.AccountId!;
}

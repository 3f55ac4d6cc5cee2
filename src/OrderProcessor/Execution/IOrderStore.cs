using OrderProcessor.Orders;

namespace OrderProcessor.Execution;

/// <summary>
/// Where the worker and the status poll read and write order sagas. Every write is one transaction with the events the
/// decision emits (the outbox) and is decided again on a fresh read when another writer changed the orders first
/// (optimistic concurrency). PostgreSQL in production (<see cref="PostgresOrderStore"/>); the lifecycle simulation keeps
/// the same semantics in memory.
/// </summary>
public interface IOrderStore
{
    /// <summary>
    /// Claims orders whose work is due, of users whose IBKR session this instance holds or can take, skipping rows another
    /// worker is claiming, within <paramref name="budget"/>: at most its limit in all and each user's room, a user's work
    /// in <see cref="WorkPriority"/> order (cancels and modifications before placements), then by due time; users take
    /// turns (every user's first item before anyone's second). Applies <see cref="OrderLifecycle.Claim"/> to each
    /// submission group and commits before returning. Work the claim decided on its own (e.g. a cancelled order not
    /// sent) is not returned.
    /// </summary>
    Task<IReadOnlyList<ClaimedWork>> ClaimDueWorkAsync(ClaimBudget budget, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="transition"/> to a claimed group: first to the orders as the claim left them, and if another
    /// writer changed any of them since, to the group read again. False when the group no longer exists, or when this
    /// instance no longer holds the user's lease under the work's epoch (the result is refused: the new holder takes the
    /// work up).
    /// </summary>
    Task<bool> UpdateGroupAsync(ClaimedWork work, Func<IReadOnlyList<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="transition"/> to <paramref name="userId"/>'s orders with these cOIDs that are not final,
    /// if this instance still holds the user's lease under <paramref name="epoch"/>. The transition may run more than once
    /// (decided again after another writer came first), the last run counting, and with no orders when none is open.
    /// </summary>
    Task<bool> UpdateOpenOrdersAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
        Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken);

    /// <summary>The cOIDs of <paramref name="userId"/>'s orders that IBKR has and that last changed before <paramref name="changedBefore"/>.</summary>
    Task<IReadOnlyList<string>> FollowedOrdersAsync(string userId, DateTimeOffset changedBefore, CancellationToken cancellationToken);

    /// <summary>Users with orders IBKR has that are followed; takes or renews their session leases and says which this instance holds, with their epochs.</summary>
    Task<(IReadOnlyList<string> Users, IReadOnlyDictionary<string, long> Held)> UsersToFollowAsync(CancellationToken cancellationToken);
}

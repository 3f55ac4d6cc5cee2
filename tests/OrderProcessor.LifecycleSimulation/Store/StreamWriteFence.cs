using OrderProcessor.Execution;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary>
/// The store the stream intake writes through: the incarnation's own, with each write recorded against the lease the
/// database held at that moment, so the simulation checks on its own that no stream report was written under an epoch
/// this instance did not hold (and counts the ones the fence refused).
/// </summary>
public sealed class StreamWriteFence(InMemoryOrderStore store, SimDatabase db, string leaseOwner, TimeProvider clock) : IOrderStore
{
    /// <summary>Stream writes written although the lease was not this instance's under that epoch: each one a violation.</summary>
    public List<string> Unfenced { get; } = [];

    public int Written { get; private set; }

    public int Refused { get; private set; }

    public async Task<bool> UpdateOpenOrdersAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
        Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        var lease = db.Leases.GetValueOrDefault(userId);
        var refusedBefore = store.Refused;
        var written = await store.UpdateOpenOrdersAsync(userId, epoch, clientOrderIds, transition, cancellationToken);
        if (written)
        {
            Written++;
            if (lease.Owner != leaseOwner || lease.Epoch != epoch || lease.ExpiresAt <= clock.GetUtcNow())
            {
                Unfenced.Add($"step {db.Step}: a stream report of {userId} was written under epoch {epoch} by {leaseOwner}; the lease was {lease.Owner} epoch {lease.Epoch} until {lease.ExpiresAt:HH:mm:ss.f}");
            }
        }
        else if (store.Refused > refusedBefore)
        {
            Refused++;
        }

        return written;
    }

    public Task<IReadOnlyList<ClaimedWork>> ClaimDueWorkAsync(ClaimBudget budget, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the stream intake claims no work");

    public Task<bool> UpdateGroupAsync(ClaimedWork work, Func<IReadOnlyList<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken) =>
        store.UpdateGroupAsync(work, transition, cancellationToken);

    public Task<IReadOnlyList<string>> FollowedOrdersAsync(string userId, DateTimeOffset changedBefore, CancellationToken cancellationToken) =>
        store.FollowedOrdersAsync(userId, changedBefore, cancellationToken);

    public Task<(IReadOnlyList<string> Users, IReadOnlyDictionary<string, long> Held)> UsersToFollowAsync(CancellationToken cancellationToken) =>
        store.UsersToFollowAsync(cancellationToken);
}

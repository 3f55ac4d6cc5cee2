using System.Runtime.CompilerServices;
using OrderProcessor.Execution;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary>
/// <see cref="IOrderStore"/> over a <see cref="SimDatabase"/>, as one processor instance sees it: the same claim,
/// lease and optimistic-concurrency semantics as <see cref="PostgresOrderStore"/>, synchronously.
/// </summary>
public sealed class InMemoryOrderStore(SimDatabase db, string instanceId, SimClock clock, LifecycleSettings settings, TimeSpan userLease, Func<Guid> newToken)
    : IOrderStore
{
    private const int ConflictRetries = 10;

    // What each row object this instance holds looked like when it was read or last committed (EF's original values).
    private readonly ConditionalWeakTable<OrderSaga, OrderSaga> _asRead = [];

    public Task<IReadOnlyList<ClaimedWork>> ClaimDueWorkAsync(int limit, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var leaders = db.ReadWhere(o => o.WorkDue != OrderWork.None && o.WorkDueAt <= now && !db.HeldByAnother(o.UserId!, instanceId, now))
            .OrderBy(o => o.WorkDueAt).ThenBy(o => o.OrderId).Take(limit).ToList();
        var owned = db.TryOwn(instanceId, leaders.Select(l => l.UserId!), now, userLease);
        var claimed = new List<ClaimedWork>();
        foreach (var leader in leaders.Where(l => owned.Contains(l.UserId!)))
        {
            var group = Track(SubmissionGroup.Of(leader, db.ReadWhere(o => o.SubmittedWithOrderId == leader.OrderId)));
            var token = newToken();
            var (work, decision) = OrderLifecycle.Claim(group, token, EventStamp.Create(now, leader.CorrelationId, token), settings);
            if (!Commit(group, decision))
            {
                continue;
            }

            if (work != OrderWork.None)
            {
                claimed.Add(new ClaimedWork(work, token, group));
            }
        }

        return Task.FromResult<IReadOnlyList<ClaimedWork>>(claimed);
    }

    public Task<bool> UpdateGroupAsync(ClaimedWork work, Func<IReadOnlyList<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        IReadOnlyList<OrderSaga> group = work.Group;
        for (var attempt = 1; ; attempt++)
        {
            if (Commit(group, transition([.. group])))
            {
                return Task.FromResult(true);
            }

            if (attempt >= ConflictRetries)
            {
                throw new InvalidOperationException($"saga update of {work.LeaderId} conflicted {attempt} times");
            }

            if (db.Read(work.LeaderId) is not { } leader)
            {
                return Task.FromResult(false);
            }

            group = Track(SubmissionGroup.Of(leader, db.ReadWhere(o => o.SubmittedWithOrderId == leader.OrderId)));
        }
    }

    public Task<bool> UpdateOpenOrdersAsync(string userId, IReadOnlyCollection<string> clientOrderIds,
        Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        var orders = Track(db.ReadWhere(o => o.UserId == userId && clientOrderIds.Contains(o.ClientOrderId) && !OrderLifecycle.IsFinal(o.Status)).ToList());
        if (orders.Count == 0)
        {
            return Task.FromResult(false);
        }

        var byClientOrderId = orders.ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal);
        if (!Commit(orders, transition(byClientOrderId)))
        {
            throw new InvalidOperationException("a single-threaded poll met a conflict");
        }

        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<string>> FollowedOrdersAsync(string userId, DateTimeOffset changedBefore, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>([.. db.Orders.Where(o => o.UserId == userId && SimDatabase.Followed.Contains(o.Status) && o.UpdatedAt < changedBefore)
            .Select(o => o.ClientOrderId)]);

    public Task<(IReadOnlyList<string> Users, IReadOnlySet<string> Held)> UsersToFollowAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> users = [.. db.Orders.Where(o => SimDatabase.Followed.Contains(o.Status)).Select(o => o.UserId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return Task.FromResult((users, db.TryOwn(instanceId, users, clock.Now, userLease)));
    }

    private List<OrderSaga> Track(List<OrderSaga> rows)
    {
        foreach (var row in rows)
        {
            _asRead.AddOrUpdate(row, SagaCopies.Copy(row));
        }

        return rows;
    }

    private bool Commit(IReadOnlyList<OrderSaga> rows, OrderDecision decision)
    {
        var touched = rows.Select(r => (r, _asRead.TryGetValue(r, out var asRead) ? asRead : throw new InvalidOperationException("a row nobody read"))).ToList();
        if (!db.Commit(touched, decision, clock.Now))
        {
            return false;
        }

        foreach (var row in rows.Concat(decision.Created))
        {
            _asRead.AddOrUpdate(row, SagaCopies.Copy(row));
        }

        return true;
    }
}

using System.Runtime.CompilerServices;
using OrderProcessor.Execution;
using OrderProcessor.LifecycleSimulation.World;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary>
/// <see cref="IOrderStore"/> over a <see cref="SimDatabase"/>, as one processor instance sees it: the same claim,
/// lease and optimistic-concurrency semantics as <see cref="PostgresOrderStore"/>, synchronously.
/// </summary>
public sealed class InMemoryOrderStore(SimDatabase db, UserSessionOwnership ownership, SimClock clock, LifecycleSettings settings, TimeSpan userLease, Func<Guid> newToken,
    Brokerage.Availability.IIbkrAvailability? availability = null)
    : IOrderStore
{
    private const int ConflictRetries = 10;

    // What each row object this instance holds looked like when it was read or last committed (EF's original values).
    private readonly ConditionalWeakTable<OrderSaga, OrderSaga> _asRead = [];
    private readonly string _instanceId = ownership.LeaseOwner;

    /// <summary>Results refused because the lease had passed (<c>orderprocessor_results_refused_total</c>).</summary>
    public int Refused { get; private set; }

    /// <summary>Takes or renews leases as <c>UserSessionOwnership.TryOwnAsync</c> does (committed at once), and records the proof.</summary>
    public IReadOnlyDictionary<string, long> TryOwn(IReadOnlyCollection<string> users, bool inUse = true)
    {
        var sent = clock.GetTimestamp();
        var owned = db.TryOwn(_instanceId, users, clock.Now, userLease);
        ownership.Record(new LeaseGrant(users, owned.ToDictionary(o => o.Key, o => (o.Value, db.Leases[o.Key].ExpiresAt), StringComparer.Ordinal), sent), inUse);
        return owned;
    }

    /// <summary>Gives an idle lease back as the keeper does: expired, only if nobody renewed it since.</summary>
    public bool Release(string userId, DateTimeOffset expiry)
    {
        if (!db.Leases.TryGetValue(userId, out var lease) || lease.Owner != _instanceId || lease.ExpiresAt != expiry)
        {
            return false;
        }

        db.Leases[userId] = lease with { ExpiresAt = clock.Now };
        return true;
    }

    /// <summary>A clean stop's last step (<c>UserSessionLeaseKeeper.StopAsync</c>): every lease still held expires now.</summary>
    public int ReleaseAll()
    {
        var released = 0;
        foreach (var (user, lease) in db.Leases.Where(l => l.Value.Owner == _instanceId && l.Value.ExpiresAt > clock.Now).ToList())
        {
            db.Leases[user] = lease with { ExpiresAt = clock.Now };
            released++;
        }

        return released;
    }

    public Task<IReadOnlyList<ClaimedWork>> ClaimDueWorkAsync(ClaimBudget budget, CancellationToken cancellationToken)
    {
        var now = clock.Now;

        // As the claim query does: each user's due work in its turn (WorkPriority, then due time; placements by arrival),
        // at most the user's room, turns first across users. Held orders of users IBKR is still unavailable for stay
        // (unless their hold is over); those of users it is back for are due at once; a user being released places one
        // order at a time, and none while anything of it runs here or an older order of it is still on its way to IBKR.
        static bool OnItsWay(Orders.OrderSaga o) => o.Status is Contracts.OrderStatus.MarginChecking or Contracts.OrderStatus.MarginApproved or Contracts.OrderStatus.Submitting;
        var paused = availability is null ? [] : availability.Unavailable().Users.ToHashSet(StringComparer.Ordinal);
        var holdOver = now - settings.MaxHold;
        bool Due(Orders.OrderSaga o) => o.WorkDue != OrderWork.None
            && ((o.WorkDueAt <= now && (o.Status != Contracts.OrderStatus.Held || o.HeldSince <= holdOver || !paused.Contains(o.UserId!)))
                || (o.Status == Contracts.OrderStatus.Held && !paused.Contains(o.UserId!)));
        var releasing = db.ReadWhere(o => o.Status == Contracts.OrderStatus.Held || (o.HeldSince is not null && OnItsWay(o)))
            .Select(o => o.UserId!).Where(u => !paused.Contains(u)).ToHashSet(StringComparer.Ordinal);
        var leaders = db.ReadWhere(o => Due(o) && !db.HeldByAnother(o.UserId!, _instanceId, now))
            .GroupBy(o => o.UserId!, StringComparer.Ordinal)
            .SelectMany(user => user.OrderBy(WorkPriority.Of).ThenBy(o => WorkPriority.Of(o) == WorkPriority.Place ? o.CreatedAt : o.WorkDueAt).ThenBy(o => o.OrderId)
                .Take(budget.RoomFor(user.Key)).Select((o, turn) => (Order: o, Turn: turn))
                .Where(c => budget.MayPlace(user.Key) || WorkPriority.Of(c.Order) != WorkPriority.Place)
                .Where(c => WorkPriority.Of(c.Order) != WorkPriority.Place || !releasing.Contains(user.Key)
                    || (budget.Running.GetValueOrDefault(user.Key) == 0
                        && user.Where(o => WorkPriority.Of(o) == WorkPriority.Place).OrderBy(o => o.CreatedAt).ThenBy(o => o.OrderId).First() == c.Order
                        && !db.ReadWhere(s => s.UserId == user.Key && (s.Status == Contracts.OrderStatus.Held || OnItsWay(s))
                                              && (s.CreatedAt < c.Order.CreatedAt || (s.CreatedAt == c.Order.CreatedAt && s.OrderId.CompareTo(c.Order.OrderId) < 0))
                                              && s.SubmittedWithOrderId is null).Any())))
            .OrderBy(c => c.Turn).ThenBy(c => c.Order.WorkDueAt).ThenBy(c => c.Order.OrderId)
            .Take(budget.Limit).Select(c => c.Order).ToList();
        var owned = TryOwn([.. leaders.Select(l => l.UserId!)]);
        var claimed = new List<ClaimedWork>();

        // As the PostgreSQL claim: the active halts read once, the covering one passed with each send or margin check.
        var activeHalts = db.Halts.Active();
        foreach (var leader in leaders.Where(l => owned.ContainsKey(l.UserId!)))
        {
            var group = Track(SubmissionGroup.Of(leader, db.ReadWhere(o => o.SubmittedWithOrderId == leader.OrderId)));
            var token = newToken();
            var due = group[0].WorkDue;
            var halted = due is OrderWork.Submit or OrderWork.CheckMargin
                ? Halts.ITradingHalts.Covering(activeHalts, group[0].UserId, group[0].AccountId)
                : null;
            var (work, decision) = OrderLifecycle.Claim(group, token, EventStamp.Create(now, leader.CorrelationId, token), settings, halted);
            if (!Commit(group, decision))
            {
                continue;
            }

            db.Halts.Claims.Add((db.Step, leader.OrderId, [.. group.Select(o => o.OrderId)], leader.UserId!, leader.AccountId, due, work, halted?.HaltId));

            if (work != OrderWork.None)
            {
                claimed.Add(new ClaimedWork(work, token, group, owned[leader.UserId!]));
            }
        }

        return Task.FromResult<IReadOnlyList<ClaimedWork>>(claimed);
    }

    public Task<bool> UpdateGroupAsync(ClaimedWork work, Func<IReadOnlyList<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        IReadOnlyList<OrderSaga> group = work.Group;
        for (var attempt = 1; ; attempt++)
        {
            if (!db.Holds(work.UserId, _instanceId, work.Epoch, clock.Now))
            {
                Refused++;
                return Task.FromResult(false);
            }

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

    public Task<bool> UpdateOpenOrdersAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
        Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        if (!db.Holds(userId, _instanceId, epoch, clock.Now))
        {
            Refused++;
            return Task.FromResult(false);
        }

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

    public Task<(IReadOnlyList<string> Users, IReadOnlyDictionary<string, long> Held)> UsersToFollowAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<string> users = [.. db.Orders.Where(o => SimDatabase.Followed.Contains(o.Status)).Select(o => o.UserId!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return Task.FromResult((users, TryOwn(users)));
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

using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary>
/// The committed state of a simulated world: what PostgreSQL holds. Rows are kept as private copies; a transaction
/// commits only if no row it changed was changed by someone else since it was read (optimistic concurrency, like
/// <c>xmin</c>), and the (order, sequence) of its events is new (the outbox's unique index). It survives crashes.
/// </summary>
public sealed class SimDatabase
{
    private readonly SortedDictionary<Guid, OrderSaga> _orders = [];
    private readonly HashSet<(Guid, long)> _eventKeys = [];
    private uint _version = 1;

    public IReadOnlyCollection<OrderSaga> Orders => _orders.Values;

    public List<CommittedEvent> Events { get; } = [];

    public HashSet<(Guid MessageId, string Consumer)> Inbox { get; } = [];

    public Dictionary<Guid, EarlyCancel> EarlyCancels { get; } = [];

    public SortedDictionary<Guid, MarginCheckRequest> MarginChecks { get; } = [];

    public Dictionary<string, (string Owner, DateTimeOffset ExpiresAt, long Epoch)> Leases { get; } = new(StringComparer.Ordinal);

    /// <summary>The trading halts (kill switch) and their history.</summary>
    public SimHalts Halts { get; } = new();

    /// <summary>Every rule the state machine applied in a committed decision, with its step.</summary>
    public List<(int Step, string Rule)> RulesApplied { get; } = [];

    /// <summary>The step of the schedule now running (for the trace).</summary>
    public int Step { get; set; }

    private readonly int _thread = Environment.CurrentManagedThreadId;

    private void OnOneThread()
    {
        if (Environment.CurrentManagedThreadId != _thread)
        {
            throw new InvalidOperationException($"the simulated database was used from thread {Environment.CurrentManagedThreadId}; the world runs on {_thread}\n{Environment.StackTrace}");
        }
    }

    public OrderSaga? Read(Guid orderId) => _orders.TryGetValue(orderId, out var row) ? SagaCopies.Copy(row) : null;

    public IEnumerable<OrderSaga> ReadWhere(Func<OrderSaga, bool> filter)
    {
        OnOneThread();
        return _orders.Values.Where(filter).Select(SagaCopies.Copy).ToList();
    }

    /// <summary>
    /// Commits a decision about <paramref name="touched"/> (each with the copy it was read as). False on a conflict:
    /// nothing is written and the caller reads again.
    /// </summary>
    public bool Commit(IReadOnlyList<(OrderSaga Now, OrderSaga AsRead)> touched, OrderDecision decision, DateTimeOffset at)
    {
        OnOneThread();
        var changed = touched.Where(t => !SagaCopies.Same(t.Now, t.AsRead)).ToList();
        if (changed.Any(t => !_orders.TryGetValue(t.Now.OrderId, out var row) || row.Version != t.AsRead.Version))
        {
            return false;
        }

        if (decision.Created.Any(c => _orders.ContainsKey(c.OrderId)))
        {
            return false;
        }

        var keys = decision.Events.Where(e => e.Event.Sequence > 0).Select(e => (e.Event.OrderId, e.Event.Sequence)).ToList();
        if (keys.Any(_eventKeys.Contains) || keys.Distinct().Count() != keys.Count)
        {
            return false;
        }

        foreach (var (now, _) in changed)
        {
            now.Version = _version++;
            _orders[now.OrderId] = SagaCopies.Copy(now);
        }

        foreach (var created in decision.Created)
        {
            created.Version = _version++;
            _orders[created.OrderId] = SagaCopies.Copy(created);
        }

        foreach (var key in keys)
        {
            _eventKeys.Add(key);
        }

        foreach (var (_, orderEvent) in decision.Events)
        {
            Events.Add(new CommittedEvent(orderEvent.OrderId, orderEvent.Sequence, orderEvent, Step, at));
        }

        RulesApplied.AddRange(decision.Rules.Select(r => (Step, r)));
        return true;
    }

    /// <summary>
    /// Takes or renews leases, one statement as in PostgreSQL: free, own, or expired ones; the epoch grows whenever a
    /// lease is taken anew. Returns the users held now with their epochs.
    /// </summary>
    public IReadOnlyDictionary<string, long> TryOwn(string instanceId, IEnumerable<string> users, DateTimeOffset now, TimeSpan duration)
    {
        var owned = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var user in users.Distinct(StringComparer.Ordinal))
        {
            if (!Leases.TryGetValue(user, out var lease))
            {
                Leases[user] = (instanceId, now + duration, 1);
            }
            else if (lease.Owner == instanceId && lease.ExpiresAt > now)
            {
                Leases[user] = lease with { ExpiresAt = now + duration };
            }
            else if (lease.Owner == instanceId || lease.ExpiresAt <= now)
            {
                Leases[user] = (instanceId, now + duration, lease.Epoch + 1);
            }
            else
            {
                continue;
            }

            owned[user] = Leases[user].Epoch;
        }

        return owned;
    }

    /// <summary>The fence of a write: the user's lease is this instance's, under this epoch, and not expired.</summary>
    public bool Holds(string userId, string instanceId, long epoch, DateTimeOffset now) =>
        Leases.TryGetValue(userId, out var lease) && lease.Owner == instanceId && lease.Epoch == epoch && lease.ExpiresAt > now;

    /// <summary>Whether <paramref name="instanceId"/> holds the user's lease at <paramref name="now"/> (whatever the epoch).</summary>
    public bool HeldBy(string userId, string instanceId, DateTimeOffset now) =>
        Leases.TryGetValue(userId, out var lease) && lease.Owner == instanceId && lease.ExpiresAt > now;

    public bool HeldByAnother(string userId, string instanceId, DateTimeOffset now) =>
        Leases.TryGetValue(userId, out var lease) && lease.Owner != instanceId && lease.ExpiresAt > now;

    public static readonly OrderStatus[] Followed = [OrderStatus.Submitted, OrderStatus.Working, OrderStatus.PartiallyFilled, OrderStatus.PendingCancel];
}

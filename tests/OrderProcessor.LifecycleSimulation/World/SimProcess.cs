using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Execution;
using OrderProcessor.Execution.Streaming;
using OrderProcessor.Execution.Work;
using OrderProcessor.LifecycleSimulation.Checks;
using OrderProcessor.LifecycleSimulation.Ibkr;
using OrderProcessor.LifecycleSimulation.Store;
using OrderProcessor.Orders;

namespace OrderProcessor.LifecycleSimulation.World;

/// <summary>
/// One incarnation of a processor instance: the real work classes, status poll and account directory, wired to the
/// in-memory store and the IBKR model. A crash throws all of it away; the database and IBKR keep what they got.
/// With the stream, also the real order stream intake (<see cref="OrderStreamIntake"/>: its book and ledger are this
/// incarnation's memory), the real <see cref="ReconcileSchedule"/> deciding which users the poller reads, and the guard's
/// sockets (<see cref="SimOrderStreams"/>) on the model's.
/// </summary>
public sealed class SimProcess
{
    private readonly Dictionary<OrderWork, IBrokerWork> _work;
    private readonly UserOrdersPoll _poll;
    private readonly InMemoryOrderStore _store;
    private readonly SimClock _clock;
    private readonly LifecycleOptions _options;
    private readonly Dictionary<CancellationToken, DateTimeOffset> _deadlines = [];
    private readonly List<(DateTimeOffset Deadline, CancellationTokenSource Source)> _running = [];
    private readonly InMemoryMarginCheckQueue _marginChecks;
    private readonly StandaloneMarginCheckWork _marginCheckWork;
    private readonly List<(string UserId, Task Task, bool Stops)> _runningWork = [];
    private HashSet<string> _followed = new(StringComparer.Ordinal);

    public SimProcess(string instanceId, int incarnation, SimDatabase db, IbkrModel model, SimClock clock, LifecycleOptions options, Func<Guid> newToken,
        bool stream = false, Func<PlaceOrder, RiskVerdict?>? risk = null)
    {
        InstanceId = instanceId;
        Incarnation = incarnation;
        var settings = options.ToSettings();
        Ownership = new UserSessionOwnership(Options.Create(new LifecycleOptions { UserLeaseDuration = options.UserLeaseDuration, InstanceId = instanceId }), clock);
        var availability = new ModelAvailability(model);
        _store = new InMemoryOrderStore(db, Ownership, clock, settings, options.UserLeaseDuration, newToken, availability);
        _clock = clock;
        _options = options;
        var gateway = new ModelGateway(model, instanceId, incarnation, Ownership, clock, new Brokerage.Configuration.TimeoutOptions().Attempt, DeadlineOf, availability);
        var accounts = new AccountDirectory(gateway, clock);
        LiveOrders = new SharedLiveOrders(gateway);
        Trades = new SharedTrades(gateway);
        var attempt = new Brokerage.Configuration.TimeoutOptions().Attempt;
        Streams = new SimOrderStreams(model, instanceId, incarnation, Ownership, clock, attempt);
        Liveness = new ReadLiveness(options.StatusPollInterval, options.SafetyPollInterval);
        if (stream)
        {
            var lifecycle = Options.Create(options);
            Schedule = new ReconcileSchedule(lifecycle, clock);
            Fence = new StreamWriteFence(_store, db, Ownership.LeaseOwner, clock);
            Intake = new OrderStreamIntake(new ObservationWriter(Fence, lifecycle, clock), Schedule, () => _poll!, lifecycle, clock, NullLogger<OrderStreamIntake>.Instance);
            Streams.Observer = Intake;
            Streams.GapTold = Liveness.Gap;
            Streams.ReadBeforeSubscribe = (user, read) => Liveness.Asked(user, _clock.Now, read);
        }

        var results = new WorkResults(_store, settings, clock, Intake);
        _work = new IBrokerWork[]
        {
            new MarginCheckWork(gateway, results),
            new SubmitWork(gateway, accounts, results, NullLogger<SubmitWork>.Instance),
            new ReconcileWork(LiveOrders, Trades, results, clock, NullLogger<ReconcileWork>.Instance),
            new CancelWork(gateway, LiveOrders, _store, results),
            new ModifyWork(gateway, results),
            new SettleWork(Trades, results, clock),
        }.ToDictionary(w => w.Kind);
        _poll = new UserOrdersPoll(LiveOrders, _store, Options.Create(options), clock, streamed: Intake, schedule: Schedule);
        _marginChecks = new InMemoryMarginCheckQueue(db, _store, Ownership.LeaseOwner, clock, settings, newToken);
        _marginCheckWork = new StandaloneMarginCheckWork(gateway, accounts, _marginChecks, settings, clock);
        Consumers = new SimConsumers(db, clock, settings, risk);
        HaltSweeper = new SimHaltSweeper(db, clock, settings);
    }

    /// <summary>The halt cancel sweeper this instance runs (every instance runs one).</summary>
    public SimHaltSweeper HaltSweeper { get; }

    public string InstanceId { get; }

    public int Incarnation { get; }

    /// <summary>This incarnation's proof of the leases it holds (the real <see cref="UserSessionOwnership"/>).</summary>
    public UserSessionOwnership Ownership { get; }

    /// <summary>Results this incarnation did not write because its lease had passed.</summary>
    public int Refused => _store.Refused;

    public SimConsumers Consumers { get; }

    /// <summary>The guard's sockets of this incarnation (followed users, states, the observer they tell).</summary>
    public SimOrderStreams Streams { get; }

    /// <summary>The real stream intake (null without the stream).</summary>
    public OrderStreamIntake? Intake { get; }

    /// <summary>The real reconcile schedule the poller asks (null without the stream: every held user is read at every poll).</summary>
    public ReconcileSchedule? Schedule { get; }

    /// <summary>The store the intake writes through, recording each write against the lease (null without the stream).</summary>
    public StreamWriteFence? Fence { get; }

    /// <summary>The independent account of when a user must be read, checked at each poll.</summary>
    public ReadLiveness Liveness { get; }

    /// <summary>Ticks at which a user that had to be read (<see cref="ReadLiveness"/>) was not: each one a violation.</summary>
    public List<string> Unread { get; } = [];

    /// <summary>Reads of live orders started, by cause (the schedule's, or BeforeSubscribe).</summary>
    public Dictionary<string, int> ReadsByCause { get; } = new(StringComparer.Ordinal);

    /// <summary>The live-orders reads this incarnation shares between its polls, reconciles and cancels (the real one).</summary>
    public SharedLiveOrders LiveOrders { get; }

    public SharedTrades Trades { get; }

    /// <summary>Work and polls under way (waiting for IBKR); a faulted one is a bug the simulation reports.</summary>
    public List<(string What, Task Task)> Running { get; } = [];

    /// <summary>When a clean stop (SIGTERM) began, and when its last poll did; null while the process runs.</summary>
    public (DateTimeOffset Since, DateTimeOffset? LastPollSince)? Stopping { get; private set; }

    /// <summary>
    /// SIGTERM: from now on the process takes no command and claims no work (<c>CommandIntake</c> and the worker stop);
    /// what is under way goes on.
    /// </summary>
    public void BeginStop() => Stopping ??= (_clock.Now, null);

    /// <summary>
    /// One step of a clean stop, in the host's order: the work under way drains (cancelled at
    /// <c>Lifecycle:DrainTimeout</c>), then every held user is polled a last time (bounded the same way), then the leases
    /// are forgotten and released. Returns true once they are: the process is gone and a new incarnation may start.
    /// </summary>
    public bool AdvanceStop()
    {
        if (Stopping is not { } stop)
        {
            return false;
        }

        var phaseStart = stop.LastPollSince ?? stop.Since;

        // A socket's read before subscribing drains like the work (its lease is released at the end).
        if (Running.Count > 0 || Streams.Running.Count > 0)
        {
            if (_clock.Now >= phaseStart + _options.DrainTimeout)
            {
                // Past the drain time: what is still under way is cancelled and awaited (it is reconciled later).
                CancelAll();
            }

            return false;
        }

        if (stop.LastPollSince is null)
        {
            Stopping = (stop.Since, _clock.Now);
            Poll(last: true);
            return false;
        }

        Ownership.ForgetAll();
        _store.ReleaseAll();
        return true;
    }

    /// <summary>
    /// Claims due work, as the broker worker does (each user at most its share less what runs for it here), and starts
    /// it; a claim that was not fair is added to <paramref name="unfair"/>.
    /// </summary>
    public void Claim(int limit, SimDatabase db, List<string> unfair)
    {
        _runningWork.RemoveAll(r => r.Task.IsCompleted);
        var running = _runningWork.GroupBy(r => r.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var stopping = _runningWork.Where(r => r.Stops).Select(r => r.UserId).Distinct(StringComparer.Ordinal).ToList();
        var budget = new ClaimBudget(limit, _options.MaxConcurrentWorkPerUser, running, stopping);
        var claimed = Completed(_store.ClaimDueWorkAsync(budget, CancellationToken.None));
        CheckFair(budget, claimed, db, unfair);
        foreach (var work in claimed)
        {
            if (Schedule is not null && work.Work == OrderWork.Submit)
            {
                // As the broker worker does: the socket is asked for before the first order of an idle user goes out.
                Streams.Follow(work.UserId, work.Epoch);
            }

            var task = _work[work.Work].RunAsync(work, Deadline(_options.WorkLease));
            Running.Add(($"{work.Work} of {work.LeaderId}", task));
            _runningWork.Add((work.UserId, task, WorkPriority.Of(work.Work, work.Leader.CancelRequested) == WorkPriority.Stop));
        }

        foreach (var (request, token, epoch) in Completed(_marginChecks.ClaimDueAsync(limit, CancellationToken.None)))
        {
            Running.Add(($"margin check {request.CheckId}", _marginCheckWork.RunAsync(request, token, epoch, Deadline(_options.WorkLease))));
        }
    }

    /// <summary>
    /// One tick of the status poller: without the stream, every user this instance holds is read, each on its own, none
    /// twice at once; with it, the held users with something live are followed (their sockets kept) and read when the
    /// <see cref="ReconcileSchedule"/> says so, as <c>OrderStatusPoller</c> does, and each tick is checked against
    /// <see cref="ReadLiveness"/>. <paramref name="last"/>: the clean stop's last look, every held user.
    /// </summary>
    public void Poll(bool last = false)
    {
        var (users, held) = Completed(_store.UsersToFollowAsync(CancellationToken.None));
        if (Schedule is null || last)
        {
            foreach (var user in users.Where(held.ContainsKey).Where(u => !PollUnderWay(u)))
            {
                StartPoll(user, held[user], last && Schedule is not null ? nameof(ReconcileCause.Shutdown) : "poll");
            }

            return;
        }

        FollowStreams(users, held);
        var now = _clock.Now;
        foreach (var user in users.Where(held.ContainsKey))
        {
            if (!Schedule.Knows(user))
            {
                // The poller gives a new user a place in the interval (at random; here: due now).
                Schedule.Polled(user, now - _options.StatusPollInterval);
            }

            var state = Streams.StateOf(user);
            var (due, cause) = Schedule.IsDue(user, state, now);
            if (PollUnderWay(user))
            {
                continue;
            }

            if (!due && Liveness.MustRead(user, state, now) is { } why)
            {
                Unread.Add($"{now:HH:mm:ss.f} {InstanceId} did not read {user} ({state}): {why}");
            }

            if (due)
            {
                Schedule.Polled(user, now);
                StartPoll(user, held[user], cause.ToString());
            }
        }
    }

    /// <summary>One beat of the guard's stream watchdog (stalls, fencing, idle sockets).</summary>
    public void WatchStreams() => Streams.Watch();

    /// <summary>The guard opens the user's socket if this incarnation follows it (the read before subscribing has its poll's deadline).</summary>
    public bool Connect(string userId)
    {
        if (Schedule is null || Stopping is not null || !Streams.MayConnect(userId))
        {
            return false;
        }

        ReadsByCause[nameof(ReconcileCause.BeforeSubscribe)] = ReadsByCause.GetValueOrDefault(nameof(ReconcileCause.BeforeSubscribe)) + 1;
        return Streams.Connect(userId, Deadline(_options.UserLeaseDuration));
    }

    private bool PollUnderWay(string user) => Running.Any(r => r.What == $"poll of {user}" && !r.Task.IsCompleted);

    private void StartPoll(string user, long epoch, string cause)
    {
        ReadsByCause[cause] = ReadsByCause.GetValueOrDefault(cause) + 1;
        var task = _poll.RunAsync(user, epoch, Deadline(_options.UserLeaseDuration));
        Liveness.Asked(user, _clock.Now, task);
        Running.Add(($"poll of {user}", task));
    }

    /// <summary>As the status poller does: held users with something live are followed, the others unfollowed and forgotten.</summary>
    private void FollowStreams(IReadOnlyList<string> users, IReadOnlyDictionary<string, long> held)
    {
        var followed = new HashSet<string>(users.Where(held.ContainsKey), StringComparer.Ordinal);
        foreach (var user in followed)
        {
            Streams.Follow(user, held[user]);
        }

        foreach (var gone in _followed.Where(u => !followed.Contains(u)))
        {
            Streams.Unfollow(gone);
            Schedule!.Forget(gone);
            Liveness.Forget(gone);
        }

        _followed = followed;
    }

    /// <summary>
    /// What the claim query promises: no user above its share, and no placement of a user claimed while a cancel or a
    /// modification of that user was due and left behind.
    /// </summary>
    private void CheckFair(ClaimBudget budget, IReadOnlyList<ClaimedWork> claimed, SimDatabase db, List<string> unfair)
    {
        foreach (var user in claimed.GroupBy(c => c.UserId, StringComparer.Ordinal))
        {
            if (user.Count() > budget.RoomFor(user.Key))
            {
                unfair.Add($"claimed {user.Count()} items of {user.Key}, whose room was {budget.RoomFor(user.Key)}");
            }

            if (user.Any(c => c.Work is OrderWork.Submit or OrderWork.CheckMargin && !c.Leader.CancelRequested))
            {
                if (!budget.MayPlace(user.Key))
                {
                    unfair.Add($"a placement of {user.Key} was claimed while its cancel or modification was under way");
                }

                var now = _clock.Now;
                var leftBehind = db.Orders.Where(o => o.UserId == user.Key && o.WorkDue != OrderWork.None && o.WorkDueAt <= now
                    && WorkPriority.Of(o) == WorkPriority.Stop).ToList();
                foreach (var waiting in leftBehind)
                {
                    unfair.Add($"a placement of {user.Key} was claimed while {waiting.WorkDue} of {SimWorld.Short(waiting.OrderId)} waited");
                }
            }
        }
    }

    /// <summary>One beat of the lease keeper (<c>UserSessionLeaseKeeper.RenewAsync</c>): the leases still in use renewed, idle ones given back.</summary>
    public void Renew()
    {
        foreach (var (user, expiry) in Ownership.IdleUsers(UserSessionLeaseKeeper.IdleRelease))
        {
            if (_store.Release(user, expiry))
            {
                Ownership.ForgetIfUnchanged(user, expiry);
            }
        }

        var held = Ownership.HeldUsers;
        if (held.Count > 0)
        {
            _store.TryOwn(held, inUse: false);
        }
    }

    /// <summary>Cancels the calls whose deadline has passed, as the broker worker's and the poller's deadlines do.</summary>
    public void ExpireDeadlines()
    {
        foreach (var expired in _running.Where(r => r.Deadline <= _clock.Now).ToList())
        {
            _running.Remove(expired);
            expired.Source.Cancel();
        }
    }

    private void CancelAll()
    {
        foreach (var running in _running.ToList())
        {
            _running.Remove(running);
            running.Source.Cancel();
        }
    }

    /// <summary>A token for work under a lease of <paramref name="lease"/> starting now: cancelled when its call deadline passes.</summary>
    private CancellationToken Deadline(TimeSpan lease)
    {
        var source = new CancellationTokenSource();
        var deadline = _clock.Now + LifecycleOptions.CallDeadline(lease);
        _running.Add((deadline, source));
        _deadlines[source.Token] = deadline;
        return source.Token;
    }

    private DateTimeOffset DeadlineOf(CancellationToken token) =>
        _deadlines.TryGetValue(token, out var deadline) ? deadline : _clock.Now + LifecycleOptions.CallDeadline(_options.WorkLease);

    private static T Completed<T>(Task<T> task) =>
        task.IsCompletedSuccessfully ? task.Result : throw new InvalidOperationException("the in-memory store must answer at once", task.Exception);
}

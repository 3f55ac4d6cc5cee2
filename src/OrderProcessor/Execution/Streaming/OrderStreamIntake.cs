using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Configuration;
using OrderProcessor.Orders;
using OrderProcessor.Telemetry;

namespace OrderProcessor.Execution.Streaming;

/// <summary>
/// Turns what a user's order stream (IBKR's websocket) reports into the same observations a REST read makes, written
/// through the same <see cref="ObservationWriter"/> and so through the same transition rows. Per user, in arrival order:
/// <c>sor</c> deltas are merged into the <see cref="StreamedOrderBook"/> (seeded by every REST read), <c>str</c>
/// executions into the <see cref="ExecutionLedger"/> (a replayed execution changes nothing); each touched order becomes
/// one observation, its filled quantity the larger of <c>sor</c>'s and the ledger's, written under the lease epoch the
/// socket was opened with (a socket of an instance that lost the lease is refused by the store's fencing).
/// <para>
/// The stream is trusted for changes as they happen, never for absence: it never writes <see cref="Unlisted"/>, and
/// every gap asks the <see cref="ReconcileSchedule"/> for a REST read. Reports of an order still being sent are left to
/// the send's answer by the table; they are kept and applied once the answer is written
/// (<see cref="SubmissionSettledAsync"/>), so a fill that streams in before the place answer is not left for the next
/// REST read.
/// </para>
/// </summary>
public sealed partial class OrderStreamIntake(
    ObservationWriter writer,
    ReconcileSchedule schedule,
    Func<UserOrdersPoll> poll,
    IOptions<LifecycleOptions> options,
    TimeProvider timeProvider,
    ILogger<OrderStreamIntake> logger,
    OrderProcessorMetrics? metrics = null) : IOrderStreamObserver, IStreamedOrders
{
    private const string Sor = "sor";
    private const string Str = "str";

    // Orders (and executions) nothing touched for this long are forgotten: the day's executions are replayed on a new
    // subscription anyway, and a REST read seeds the orders again.
    private static readonly TimeSpan Forgotten = TimeSpan.FromHours(24);

    private readonly TimeSpan _coalesce = options.Value.StreamCoalesceWindow;

    // A report of an order still being sent is applied when the send's answer is written, if that comes within the
    // work's lease (after it the order is reconciled, which reads IBKR anyway).
    private readonly TimeSpan _retainFor = options.Value.WorkLease;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, UserIntake> _users = new(StringComparer.Ordinal);

    private long _applied;
    private long _unchanged;
    private long _retained;
    private long _refused;
    private long _replayed;
    private long _unmapped;

    /// <summary>Orders a stream report changed.</summary>
    public long Applied => Interlocked.Read(ref _applied);

    /// <summary>Orders a stream report told nothing new.</summary>
    public long Unchanged => Interlocked.Read(ref _unchanged);

    /// <summary>Reports kept because their order was still being sent.</summary>
    public long Retained => Interlocked.Read(ref _retained);

    /// <summary>Writes refused: the lease epoch of the socket is no longer held.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Executions received again (same execution id).</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>Reports of orders whose cOID is not known yet (an identity-only delta before any read): left to the reconcile.</summary>
    public long Unmapped => Interlocked.Read(ref _unmapped);

    public async Task BeforeSubscribeAsync(string userId, long leaseEpoch, CancellationToken cancellationToken)
    {
        // sor does not replay: the read comes first, and seeds the book the deltas apply to.
        Of(userId, create: true);
        metrics?.Reconciled(ReconcileCause.BeforeSubscribe);
        await poll().RunAsync(userId, leaseEpoch, cancellationToken);
    }

    public async ValueTask OnBatchAsync(OrderStreamBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var user = Of(batch.UserId, create: true)!;
        bool flushFirst;
        lock (user.Sync)
        {
            flushFirst = user.Pending.Count > 0 && user.PendingEpoch != batch.LeaseEpoch;
        }

        if (flushFirst)
        {
            // Reports gathered under another socket's epoch are written under it, not under this one.
            await FlushAsync(user, cancellationToken);
        }

        bool flushLater;
        lock (user.Sync)
        {
            if (Take(user, batch))
            {
                // An end without its filled quantity: a REST read (whole figures) ends the order.
                schedule.Request(batch.UserId, ReconcileCause.UnconfirmedEnd);
            }

            if (user.Pending.Count == 0)
            {
                return;
            }

            flushLater = _coalesce > TimeSpan.Zero && !user.FlushScheduled;
            user.FlushScheduled |= flushLater;
        }

        if (_coalesce <= TimeSpan.Zero)
        {
            await FlushAsync(user, cancellationToken);
        }
        else if (flushLater)
        {
            // The frames that come meanwhile (a fill's str and sor) join this write; the guard is not held up.
            _ = FlushLaterAsync(user);
        }
    }

    public void OnGap(StreamGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        if (gap.Cause == StreamGapCause.Closed)
        {
            // Closed on purpose (unfollowed, lease lost, stopping): a new socket seeds and replays everything again.
            lock (_sync)
            {
                _users.Remove(gap.UserId);
            }

            return;
        }

        schedule.Request(gap.UserId, gap.Cause switch
        {
            StreamGapCause.Subscribed => ReconcileCause.Subscribed,
            StreamGapCause.Dropped => ReconcileCause.Dropped,
            StreamGapCause.HeartbeatMissed => ReconcileCause.HeartbeatMissed,
            StreamGapCause.Malformed => ReconcileCause.Malformed,
            StreamGapCause.SessionReinitialised => ReconcileCause.SessionReinitialised,
            StreamGapCause.Competing => ReconcileCause.Competing,
            _ => ReconcileCause.Dropped,
        });
    }

    public void Seed(string userId, IReadOnlyList<LiveOrder> live, DateTimeOffset readBegan)
    {
        // Only users with a stream keep a book: a user followed by polling alone costs nothing here.
        if (Of(userId, create: false) is not { } user)
        {
            return;
        }

        var now = timeProvider.GetUtcNow();
        lock (user.Sync)
        {
            user.Book.Seed(live, now);

            // A read that lists an order as ended carries its final figures: the end is confirmed.
            foreach (var ended in live.Where(o => o.OrderId is not null && o.Status is { } status && BrokerOrderStates.IsEnded(BrokerOrderStates.Parse(status))))
            {
                user.EndUnconfirmed.Remove(ended.OrderId!);
            }

            user.Book.Prune(now - Forgotten);
            user.Ledger.Prune(now - Forgotten);
        }
    }

    public void Sending(string userId, IReadOnlyCollection<string> clientOrderIds)
    {
        if (Of(userId, create: false) is not { } user)
        {
            return;
        }

        lock (user.Sync)
        {
            var now = timeProvider.GetUtcNow();
            foreach (var clientOrderId in clientOrderIds)
            {
                user.Sending[clientOrderId] = now;
            }
        }
    }

    public IReadOnlyDictionary<string, BrokerOrderObservation> RetainedReports(string userId, IReadOnlyCollection<string> clientOrderIds)
    {
        if (Of(userId, create: false) is not { } user)
        {
            return new Dictionary<string, BrokerOrderObservation>();
        }

        lock (user.Sync)
        {
            // Left retained: the answer's write may fail or be refused; SubmissionSettledAsync takes them afterwards.
            var since = timeProvider.GetUtcNow() - _retainFor;
            return Observations(user, clientOrderIds.Where(c => user.Retained.TryGetValue(c, out var r) && r.At >= since));
        }
    }

    public async Task SubmissionSettledAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
        IReadOnlyDictionary<string, BrokerOrderObservation> writtenWithTheAnswer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writtenWithTheAnswer);
        if (Of(userId, create: false) is not { } user)
        {
            return;
        }

        Dictionary<string, BrokerOrderObservation> observations;
        Dictionary<string, Retention> taken;
        lock (user.Sync)
        {
            var since = timeProvider.GetUtcNow() - _retainFor;
            taken = clientOrderIds.Where(c => user.Retained.TryGetValue(c, out var r) && r.At >= since)
                .ToDictionary(c => c, c => user.Retained[c], StringComparer.Ordinal);
            foreach (var clientOrderId in clientOrderIds)
            {
                user.Retained.Remove(clientOrderId);
                user.Sending.Remove(clientOrderId);
            }

            observations = Observations(user, taken.Keys);
        }

        // Reports written with the answer are done; one that changed since (a frame that came during that write) is not.
        foreach (var (clientOrderId, observation) in writtenWithTheAnswer)
        {
            if (observations.TryGetValue(clientOrderId, out var now) && now == observation)
            {
                observations.Remove(clientOrderId);
                Interlocked.Increment(ref _applied);
                CountTopics(taken[clientOrderId].Sources, "applied");
            }
        }

        if (observations.Count == 0)
        {
            return;
        }

        try
        {
            var written = await writer.WriteStreamedAsync(userId, epoch, observations, cancellationToken);
            if (written.Written && written.LeftToTheSend.Count > 0)
            {
                // Still being sent (the answer was ambiguous: a reconciliation follows): kept for its answer, within the
                // time the first report was kept for.
                lock (user.Sync)
                {
                    foreach (var clientOrderId in written.LeftToTheSend.Where(taken.ContainsKey))
                    {
                        user.Retained.TryAdd(clientOrderId, taken[clientOrderId]);
                    }
                }
            }

            Count(user, written, taken.ToDictionary(t => t.Key, t => t.Value.Sources, StringComparer.Ordinal), epoch);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogWriteFailed(exception, userId);
            schedule.Request(userId, ReconcileCause.Unwritten);
        }
    }

    public async Task ReadDuringSendAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientOrderIds);
        // A user without a stream is read every poll interval: the next read comes soon enough, with the answer written.
        if (clientOrderIds.Count == 0 || Of(userId, create: false) is not { } user)
        {
            return;
        }

        // The read seeded the book just before its write: the orders are written from it as a frame's would be. Being
        // sent, they are kept for the answer (retained, no write); if the answer was written meanwhile, they are
        // written now, on the order as the answer left it. Marked under the epoch the read was written with, never
        // joining frames pending under another (those are written under theirs first), checked and marked under one
        // lock. Not cancelled with the read: a flush cut short would drop the frames pending with it.
        while (true)
        {
            lock (user.Sync)
            {
                if (user.Pending.Count == 0 || user.PendingEpoch == epoch)
                {
                    foreach (var clientOrderId in clientOrderIds)
                    {
                        Touch(user, clientOrderId, Sources.Read, epoch);
                    }

                    break;
                }
            }

            await FlushAsync(user, CancellationToken.None);
        }

        await FlushAsync(user, CancellationToken.None);
    }

    /// <summary>
    /// Merges one frame into the user's book and ledger and marks the orders it touched (under the user's lock). True when
    /// it carried an end without the filled quantity (a sparse delta: status only) for an order not already waiting for
    /// its figures.
    /// </summary>
    private bool Take(UserIntake user, OrderStreamBatch batch)
    {
        var unconfirmed = false;
        foreach (var delta in batch.OrderDeltas)
        {
            if (delta.OrderId is { Length: > 0 } orderId && delta.Status is { } status && BrokerOrderStates.IsEnded(BrokerOrderStates.Parse(status)))
            {
                // A frame of this order may have been lost (garbage on the socket, a gap): the book's filled quantity
                // is then stale, and an end written with it would be final with a fill missing. Such an end is
                // written only once a frame with the quantity, or a read, confirms it.
                if (delta.FilledQuantity is null)
                {
                    unconfirmed |= user.EndUnconfirmed.Add(orderId);
                }
                else
                {
                    user.EndUnconfirmed.Remove(orderId);
                }
            }

            var merged = user.Book.Merge(delta, batch.ReceivedAt);
            if (merged?.OrderRef is { } clientOrderId)
            {
                Touch(user, clientOrderId, Sources.SorTopic, batch.LeaseEpoch);
            }
            else
            {
                // Its cOID comes with a later frame or the Subscribed read.
                Interlocked.Increment(ref _unmapped);
            }
        }

        var replayed = 0;
        foreach (var execution in batch.Executions)
        {
            var clientOrderId = execution.OrderRef ?? (execution.OrderId is { } orderId ? user.Book.Find(orderId)?.OrderRef : null);
            if (clientOrderId is null)
            {
                Interlocked.Increment(ref _unmapped);
                continue;
            }

            if (user.Ledger.Add(clientOrderId, execution, batch.ReceivedAt))
            {
                Touch(user, clientOrderId, Sources.StrTopic, batch.LeaseEpoch);
            }
            else if (execution.ExecutionId is { Length: > 0 } executionId && user.Ledger.Has(executionId))
            {
                replayed++;
            }
        }

        Interlocked.Add(ref _replayed, replayed);
        metrics?.ExecutionsReplayed(replayed);
        return unconfirmed;
    }

    private static void Touch(UserIntake user, string clientOrderId, Sources source, long epoch)
    {
        if (!clientOrderId.StartsWith(ClientOrderId.Prefix, StringComparison.Ordinal))
        {
            return;
        }

        user.PendingEpoch = epoch;
        user.Pending[clientOrderId] = (user.Pending.TryGetValue(clientOrderId, out var sources) ? sources : Sources.None) | source;
    }

    private async Task FlushLaterAsync(UserIntake user)
    {
        try
        {
            await Task.Delay(_coalesce, timeProvider);
            await FlushAsync(user, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogWriteFailed(exception, user.UserId);
        }
    }

    /// <summary>Writes what the user's stream reported since the last write, as one write.</summary>
    private async Task FlushAsync(UserIntake user, CancellationToken cancellationToken)
    {
        await user.Writing.WaitAsync(cancellationToken);
        try
        {
            Dictionary<string, Sources> touched;
            Dictionary<string, BrokerOrderObservation> observations;
            long epoch;
            long stamp;
            lock (user.Sync)
            {
                touched = new Dictionary<string, Sources>(user.Pending, StringComparer.Ordinal);
                epoch = user.PendingEpoch;
                user.Pending.Clear();
                user.FlushScheduled = false;
                observations = Observations(user, touched.Keys);

                // Kept before the write, dropped after it unless the order was still being sent: a send's answer written
                // while this write is under way finds it (and applies it), whichever commits first.
                stamp = ++user.Stamps;
                var now = timeProvider.GetUtcNow();
                foreach (var clientOrderId in observations.Keys)
                {
                    user.Retained[clientOrderId] = new Retention(now, stamp, touched[clientOrderId]);
                }

                // Orders this instance is sending (within the work's lease): the table would leave their reports to the
                // send's answer anyway, so they are kept for it without a read. Past the lease the order is reconciled,
                // and its reports are written as any other's.
                var sendingSince = now - _retainFor;
                foreach (var clientOrderId in observations.Keys.Where(c => user.Sending.TryGetValue(c, out var at) && at >= sendingSince).ToList())
                {
                    observations.Remove(clientOrderId);
                    Interlocked.Increment(ref _retained);
                    CountTopics(touched[clientOrderId], "retained");
                }

                foreach (var clientOrderId in user.Sending.Where(s => s.Value < sendingSince).Select(s => s.Key).ToList())
                {
                    user.Sending.Remove(clientOrderId);
                }
            }

            if (observations.Count == 0)
            {
                return;
            }

            ObservationWrite written;
            try
            {
                written = await writer.WriteStreamedAsync(user.UserId, epoch, observations, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogWriteFailed(exception, user.UserId);
                schedule.Request(user.UserId, ReconcileCause.Unwritten);
                Release(user, observations.Keys, stamp, []);
                return;
            }

            Release(user, observations.Keys, stamp, written.Written ? written.LeftToTheSend : []);
            Count(user, written, touched.Where(t => observations.ContainsKey(t.Key)).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal), epoch);
        }
        finally
        {
            user.Writing.Release();
        }
    }

    private static void Release(UserIntake user, IEnumerable<string> written, long stamp, IReadOnlyCollection<string> keep)
    {
        lock (user.Sync)
        {
            foreach (var clientOrderId in written.Where(c => !keep.Contains(c)))
            {
                if (user.Retained.TryGetValue(clientOrderId, out var retention) && retention.Stamp == stamp)
                {
                    user.Retained.Remove(clientOrderId);
                }
            }
        }
    }

    private void Count(UserIntake user, ObservationWrite written, Dictionary<string, Sources> sources, long epoch)
    {
        if (!written.Written)
        {
            Interlocked.Add(ref _refused, sources.Count);
            LogRefused(user.UserId, epoch);
        }

        foreach (var (clientOrderId, from) in sources)
        {
            var outcome = !written.Written ? "refused"
                : written.LeftToTheSend.Contains(clientOrderId) ? "retained"
                : written.Applied.Contains(clientOrderId) ? "applied"
                : "nochange";
            _ = outcome switch
            {
                "retained" => Interlocked.Increment(ref _retained),
                "applied" => Interlocked.Increment(ref _applied),
                "nochange" => Interlocked.Increment(ref _unchanged),
                _ => 0,
            };
            CountTopics(from, outcome);
        }
    }

    private void CountTopics(Sources from, string outcome)
    {
        if (from.HasFlag(Sources.SorTopic))
        {
            metrics?.StreamObservations(Sor, outcome, 1);
        }

        if (from.HasFlag(Sources.StrTopic))
        {
            metrics?.StreamObservations(Str, outcome, 1);
        }
    }

    /// <summary>
    /// The observation of each order: its merged <c>sor</c> view with the larger of its filled quantity and the ledger's
    /// (and the matching average price); only executions known: working (<see cref="BrokerOrderState.Unknown"/>, never an end).
    /// </summary>
    private static Dictionary<string, BrokerOrderObservation> Observations(UserIntake user, IEnumerable<string> clientOrderIds)
    {
        var observations = new Dictionary<string, BrokerOrderObservation>(StringComparer.Ordinal);
        foreach (var clientOrderId in clientOrderIds)
        {
            var reported = OutcomeTranslator.Observations([.. user.Book.WithClientOrderId(clientOrderId)], [clientOrderId]).GetValueOrDefault(clientOrderId);
            if (reported is not null && BrokerOrderStates.IsEnded(reported.State) && user.EndUnconfirmed.Contains(reported.BrokerOrderId))
            {
                // Ended without its figures: followed as working (fills still count) until they are known.
                reported = reported with { State = BrokerOrderState.Unknown };
            }

            var (executed, average, brokerOrderId) = user.Ledger.Of(clientOrderId);
            if (reported is not null)
            {
                observations[clientOrderId] = executed <= reported.FilledQuantity ? reported : reported with
                {
                    FilledQuantity = executed,
                    AveragePrice = average ?? reported.AveragePrice,
                    RemainingQuantity = reported.RemainingQuantity is { } remaining ? Math.Max(0, remaining - (executed - reported.FilledQuantity)) : null,
                };
            }
            else if (executed > 0 && (brokerOrderId ?? user.Book.WithClientOrderId(clientOrderId).FirstOrDefault()?.OrderId) is { } orderId)
            {
                var total = user.Book.WithClientOrderId(clientOrderId).Select(o => o.TotalSize).FirstOrDefault(t => t is not null);
                observations[clientOrderId] = new BrokerOrderObservation(clientOrderId, orderId, BrokerOrderState.Unknown, executed,
                    total is { } size ? Math.Max(0, size - executed) : null, average);
            }
        }

        return observations;
    }

    private UserIntake? Of(string userId, bool create)
    {
        lock (_sync)
        {
            if (!_users.TryGetValue(userId, out var user) && create)
            {
                user = _users[userId] = new UserIntake(userId);
            }

            return user;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The order stream's reports of user {UserId} were not written: this instance no longer holds the user's lease under epoch {Epoch}")]
    private partial void LogRefused(string userId, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The order stream's reports of user {UserId} could not be written; its live orders are read again")]
    private partial void LogWriteFailed(Exception exception, string userId);

    /// <summary>Which topics reported an order in one write.</summary>
    [Flags]
    private enum Sources
    {
        None = 0,
        SorTopic = 1,
        StrTopic = 2,

        // A REST read that found the order being sent (ReadDuringSendAsync).
        Read = 4,
    }

    private sealed record Retention(DateTimeOffset At, long Stamp, Sources Sources);

    private sealed class UserIntake(string userId)
    {
        public string UserId { get; } = userId;

        public Lock Sync { get; } = new();

        // One write of the user's reports at a time, in order.
        public SemaphoreSlim Writing { get; } = new(1, 1);

        public StreamedOrderBook Book { get; } = new();

        public ExecutionLedger Ledger { get; } = new();

        public Dictionary<string, Sources> Pending { get; } = new(StringComparer.Ordinal);

        public long PendingEpoch { get; set; }

        public bool FlushScheduled { get; set; }

        public Dictionary<string, Retention> Retained { get; } = new(StringComparer.Ordinal);

        // Orders this instance is sending, and since when (IStreamedOrders.Sending; until their answer is written).
        public Dictionary<string, DateTimeOffset> Sending { get; } = new(StringComparer.Ordinal);

        // IBKR order ids whose end came in a delta without the filled quantity, not yet confirmed by one with it or a read.
        public HashSet<string> EndUnconfirmed { get; } = new(StringComparer.Ordinal);

        public long Stamps { get; set; }
    }
}

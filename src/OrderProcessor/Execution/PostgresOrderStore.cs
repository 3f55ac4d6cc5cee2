using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Options;
using Npgsql;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Outbox;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// <see cref="IOrderStore"/> on PostgreSQL: claims with <c>FOR UPDATE SKIP LOCKED</c>, optimistic concurrency on
/// <c>xmin</c>, the decision's events written to the outbox in the same transaction.
/// </summary>
public sealed class PostgresOrderStore(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    UserSessionOwnership ownership,
    OutboxSignal outboxSignal,
    BrokerWorkSignal workSignal,
    IOptions<LifecycleOptions> options,
    Telemetry.OrderProcessorMetrics metrics,
    TimeProvider timeProvider,
    Halts.ITradingHalts? halts = null,
    Brokerage.Availability.IIbkrAvailability? availability = null) : IOrderStore
{
    private const int ConflictRetries = 10;
    private static readonly OrderStatus[] Followed = [OrderStatus.Submitted, OrderStatus.Working, OrderStatus.PartiallyFilled, OrderStatus.PendingCancel];
    private readonly LifecycleSettings _settings = options.Value.ToSettings();

    /// <summary>The open orders this store last wrote, so that a report right after needs no read (see the class).</summary>
    private readonly WrittenOrderVersions _written = new();

    /// <summary>How long a lease must still be proven for a claim to use it without renewing it: half a lease.</summary>
    private readonly TimeSpan _provenFor = options.Value.UserLeaseDuration / 2;

    public async Task<IReadOnlyList<ClaimedWork>> ClaimDueWorkAsync(ClaimBudget budget, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var busyUsers = budget.Running.Keys.ToArray();
        var busyCounts = busyUsers.Select(u => budget.Running[u]).ToArray();
        var stoppingUsers = budget.Stopping.ToArray();

        // Each user's due work is numbered in its turn (WorkPriority: cancels and modifications first, then follow-ups,
        // then new placements; placements by arrival (created_at, then order id), the others by due time), and a user
        // takes at most its room. Turns go first across users, so every user's first item is claimed before anyone's
        // second. A window function cannot share a query level with FOR UPDATE: the numbering is one statement (the
        // candidates and their turns, at most a user's room each), and the rows are then locked by key in a second,
        // which repeats the conditions on them: a row another worker claimed and committed meanwhile is checked again on
        // its new version (and dropped), one it is still claiming is skipped (that user then gets fewer this time, never
        // more). A user with a cancel or modification under way here
        // gets no new placement until it ends (ClaimBudget.Stopping).
        // Two statements, not one: joined in one statement, the planner estimated the due rows from statistics taken
        // before the burst (one row) and joined the numbered rows to a second scan of the due rows in a nested loop,
        // 2,000 x 2,000 comparisons and 170 ms at 2,000 due; the key lookup of an array of ids cannot go that way. The
        // numbering still sorts every due row (6 ms at 2,000 due on a loaded 2-core machine).
        // Work of users whose IBKR session another live instance holds is left to that instance.
        // Held orders (IBKR unavailable) of users still unavailable are not claimed, except to end a hold that is over
        // (Lifecycle:MaxHold); those of users available again are due at once, whatever their due time. A user being
        // released (with Held orders, or a released send not settled yet) gets one placement per claim, and only while
        // nothing of it runs here and no older order of it is still on its way to IBKR (held, in its what-if, or being
        // sent: one whose answer was lost is read back, and maybe sent again, before the next; legs and OCA members go
        // with their leader and are not compared): its sends reach IBKR one at a time, in arrival order (placements are
        // ranked by created_at, then order id). Paused users' new placements are claimed as usual: the guard refuses them before sending and
        // they are held in their turn.
        var paused = await PausedUsersAsync(db, cancellationToken);
        var holdOver = now - _settings.MaxHold;
        // The candidates and the active halts (under their shared lock until this commit, read once per claim, not once per
        // placement) in one round trip.
        var haltsRead = halts?.ActiveRead();
        // The first candidates in the order the lock statement takes them, with room for rows it skips (locked by another
        // claim) or drops (changed since): the rest are numbered again next time, and were sent back and joined for nothing
        // (800 candidates per claim at 2,000 due, for a claim of a few).
        var candidatesRead = CandidatesRead(now, holdOver, paused, ownership.LeaseOwner, busyUsers, busyCounts, budget.PerUser,
            stoppingUsers, candidates: (2 * budget.Limit) + 16);
        await BatchRead.RunAsync(db, haltsRead is null ? [candidatesRead] : [candidatesRead, haltsRead], cancellationToken);
        var candidates = candidatesRead.Value;
        if (candidates.Count == 0)
        {
            return [];
        }

        var candidateIds = candidates.Select(c => c.OrderId).ToArray();
        var candidateTurns = candidates.Select(c => c.Turn).ToArray();
        var leaders = await db.Orders.FromSql($"""
            SELECT o.*, o.xmin FROM unnest({candidateIds}::uuid[], {candidateTurns}::bigint[]) AS r(order_id, turn)
            JOIN orders o ON o.order_id = r.order_id
            WHERE o.work_due <> 'None'
              AND ((o.work_due_at <= {now} AND (o.status <> 'Held' OR o.held_since <= {holdOver} OR o.user_id <> ALL({paused}::text[])))
                   OR (o.status = 'Held' AND o.user_id <> ALL({paused}::text[])))
              AND (o.user_id <> ALL({stoppingUsers}::text[]) OR o.cancel_requested OR o.work_due NOT IN ('Submit', 'CheckMargin'))
              AND NOT EXISTS (SELECT 1 FROM user_session_leases l
                              WHERE l.user_id = o.user_id AND l.owner <> {ownership.LeaseOwner} AND l.expires_at > clock_timestamp())
            ORDER BY r.turn, o.work_due_at, o.user_id, o.order_id
            LIMIT {budget.Limit}
            FOR UPDATE OF o SKIP LOCKED
            """).ToListAsync(cancellationToken);
        // A user whose lease this instance has proven for half a lease yet, and used within half the idle release, is
        // claimed under the epoch it holds, without renewing it here (UserSessionLeaseKeeper renews held leases on its
        // own timer): at a steady rate nearly every claim is of such users, and renewing cost two statements per claim.
        // The others are taken or renewed now (a user idle for long must be: the renewal is what holds off its release).
        var users = leaders.Select(l => l.UserId!).Distinct(StringComparer.Ordinal).ToList();
        var proven = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            if (ownership.ProvenEpoch(user, _provenFor, UserSessionLeaseKeeper.IdleRelease / 2) is { } held)
            {
                proven[user] = held;
            }
        }

        var owned = await ownership.TryOwnAsync(db, users.Where(u => !proven.ContainsKey(u)).ToList(), cancellationToken);
        bool Holds(string user) => proven.ContainsKey(user) || owned.Holds(user);
        long EpochOf(string user) => proven.TryGetValue(user, out var epoch) ? epoch : owned.EpochOf(user);
        // The orders a leader's submission carries (bracket legs, OCA members) are created with it, so the candidates'
        // read already says which leaders have any: a claim of plain orders reads no groups.
        var carrying = candidates.Where(c => c.Carries).Select(c => c.OrderId).ToHashSet();
        var groups = await LoadGroupsAsync(db, leaders.Where(l => Holds(l.UserId!)).ToList(), carrying, cancellationToken);
        var claimed = new List<ClaimedWork>(groups.Count);
        var decisions = new OrderDecision();

        var activeHalts = haltsRead?.Value ?? [];
        foreach (var group in groups)
        {
            var token = Guid.NewGuid();
            var halted = group[0].WorkDue is OrderWork.Submit or OrderWork.CheckMargin
                ? Halts.ITradingHalts.Covering(activeHalts, group[0].UserId, group[0].AccountId)
                : null;
            var (work, decision) = OrderLifecycle.Claim(group, token, EventStamp.Create(now, group[0].CorrelationId, token), _settings, halted);
            decisions.Include(decision);
            if (work != OrderWork.None)
            {
                claimed.Add(new ClaimedWork(work, token, group, EpochOf(group[0].UserId!)));
            }
        }

        OutboxWriter.Append(db, decisions);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // Only a committed lease is proof.
        ownership.Record(owned);

        // The claim wakes the relay for its events but not the worker: the worker is the one claiming, and a claim that
        // woke its own loop made it claim again at once whenever it had room (two queries and a transaction per turn,
        // back to back, taking CPU from the orders themselves).
        metrics.EventsWritten(decisions);
        if (decisions.Events.Count > 0)
        {
            outboxSignal.Notify();
        }

        return claimed;
    }

    /// <summary>
    /// The due work of the claim's users, numbered in their turns (see <see cref="ClaimDueWorkAsync"/>), under a generic
    /// plan put back to the default in the same round trip (the settings return no rows: the reader starts on the
    /// candidates). PostgreSQL priced the generic plan above a custom one (the arrays hide their sizes) and planned the
    /// statement afresh for most claims, about 2 ms of its CPU each, as much as executing it. Measured in the benchmark:
    /// 2,228 -> 1,127 ms of planning in a run, execution unchanged (2.95 ms per read both ways, about 1,300 reads).
    /// <para>
    /// The due rows are read by index scans, never bitmap scans (and so in two parts, see the statement). Every order passes
    /// through due states, and each status change writes a new row version with new index entries: the old versions'
    /// entries stay in <c>ix_orders_work_due_at</c> and <c>ix_orders_status_user_id</c> until VACUUM, thousands between
    /// two. A bitmap scan visits the table for each of them on every read and never learns; an index scan marks those it
    /// finds dead (<c>LP_DEAD</c>) and passes over them afterwards. Measured in the benchmark at 100/s (auto_explain): a
    /// bitmap scan of 4,378 entries and 5,088 more for the held-user check, 373 + 357 pages for 3 due rows, 2.5 ms a
    /// claim and the largest PostgreSQL cost per order; growing with the orders written since the last vacuum.
    /// </para>
    /// </summary>
    private static BatchRead<List<ClaimCandidate>> CandidatesRead(DateTimeOffset now, DateTimeOffset holdOver, string[] paused, string leaseOwner,
        string[] busyUsers, int[] busyCounts, int perUser, string[] stoppingUsers, int candidates) => new(
        [
            .. CandidatesPlanSettings.Select(setting => new NpgsqlBatchCommand(setting)),
            new NpgsqlBatchCommand(CandidatesSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = now },
                    new NpgsqlParameter<DateTimeOffset> { TypedValue = holdOver },
                    new NpgsqlParameter<string[]> { TypedValue = paused },
                    new NpgsqlParameter<string> { TypedValue = leaseOwner },
                    new NpgsqlParameter<string[]> { TypedValue = busyUsers },
                    new NpgsqlParameter<int[]> { TypedValue = busyCounts },
                    new NpgsqlParameter<int> { TypedValue = perUser },
                    new NpgsqlParameter<string[]> { TypedValue = stoppingUsers },
                    new NpgsqlParameter<int> { TypedValue = candidates },
                },
            },
            .. CandidatesPlanResets.Select(reset => new NpgsqlBatchCommand(reset)),
        ],
        async (reader, ct) =>
        {
            var found = new List<ClaimCandidate>();
            while (await reader.ReadAsync(ct))
            {
                found.Add(new ClaimCandidate(reader.GetGuid(0), reader.GetInt64(1), reader.GetBoolean(2)));
            }

            return found;
        });

    /// <summary>The settings the candidates are read under, each a statement of the read's batch (see <see cref="CandidatesRead"/>).</summary>
    internal static readonly string[] CandidatesPlanSettings = ["SET LOCAL plan_cache_mode = force_generic_plan", "SET LOCAL enable_bitmapscan = off"];

    private static readonly string[] CandidatesPlanResets = ["SET LOCAL plan_cache_mode TO DEFAULT", "SET LOCAL enable_bitmapscan TO DEFAULT"];

    /// <summary>
    /// The statuses in which an order holds back its user's placements while the user is released after a hold (one at a
    /// time, in arrival order): in <see cref="CandidatesSql"/>, and for <see cref="WakesWorker"/>, which wakes the worker
    /// when an order leaves one.
    /// </summary>
    private static readonly OrderStatus[] HoldingStatuses = [OrderStatus.Held, OrderStatus.MarginChecking, OrderStatus.MarginApproved, OrderStatus.Submitting];

    private static readonly string HoldingStatusList = string.Join(", ", HoldingStatuses.Select(status => "'" + status.ToString() + "'"));

    /// <summary>
    /// The claim's numbering: $1 now, $2 the hold-over time, $3 the paused users, $4 this instance's lease owner, $5 and
    /// $6 the users with work running here and how much, $7 a user's room, $8 the stopping users, $9 the candidates wanted.
    /// </summary>
    internal static readonly string CandidatesSql = $"""
            SELECT ranked.order_id, ranked.turn,
                   -- Not EXISTS: the planner may hash that for all rows of orders; this probes the partial index per row.
                   (SELECT 1 FROM orders c WHERE c.submitted_with_order_id = ranked.order_id LIMIT 1) IS NOT NULL AS carries
            FROM (SELECT d.order_id, d.user_id, d.created_at, d.work_due_at, p.priority,
                         row_number() OVER (PARTITION BY d.user_id
                                            ORDER BY p.priority,
                                                     CASE WHEN p.priority = {WorkPriority.Place} THEN d.created_at ELSE d.work_due_at END,
                                                     d.order_id) AS turn,
                         row_number() OVER (PARTITION BY d.user_id, p.priority ORDER BY d.created_at, d.order_id) AS priority_turn
                  -- The due rows in two parts, each a range of one index (no OR across two indexes, which only a
                  -- bitmap scan serves; see CandidatesRead): due by time (held ones only once their hold is over or their
                  -- user is not paused), and the held orders of users not paused whatever their due time.
                  FROM (SELECT t.order_id, t.user_id, t.created_at, t.work_due_at, t.work_due, t.cancel_requested FROM orders t
                        WHERE t.work_due <> 'None' AND t.work_due_at <= $1
                          AND (t.status <> 'Held' OR t.held_since <= $2 OR t.user_id <> ALL($3::text[]))
                        UNION ALL
                        SELECT t.order_id, t.user_id, t.created_at, t.work_due_at, t.work_due, t.cancel_requested FROM orders t
                        WHERE t.status = 'Held' AND t.work_due <> 'None' AND t.user_id <> ALL($3::text[])
                          AND (t.work_due_at IS NULL OR t.work_due_at > $1)) d
                  CROSS JOIN LATERAL (SELECT CASE WHEN d.cancel_requested OR d.work_due IN ('Cancel', 'Modify') THEN {WorkPriority.Stop}
                                                  WHEN d.work_due IN ('Reconcile', 'Settle') THEN {WorkPriority.FollowUp}
                                                  ELSE {WorkPriority.Place} END AS priority) p
                  -- The users another live instance holds, read once into a hash (looked up per due row they cost 1.5 of
                  -- 10 ms at 2,000 due; compared as an array, the cost would grow with the leases held elsewhere).
                  WHERE d.user_id IS NULL
                        OR d.user_id NOT IN (SELECT l.user_id FROM user_session_leases l
                                             WHERE l.owner <> $4 AND l.expires_at > clock_timestamp())) ranked
            LEFT JOIN unnest($5::text[], $6::integer[]) AS busy(user_id, running) ON busy.user_id = ranked.user_id
            WHERE ranked.turn <= $7 - COALESCE(busy.running, 0)
              AND (ranked.priority <> {WorkPriority.Place}
                   OR ranked.user_id = ANY($3::text[])
                   OR NOT EXISTS (SELECT 1 FROM orders h
                                  WHERE h.user_id = ranked.user_id
                                    AND h.status IN ({HoldingStatusList})
                                    AND (h.status = 'Held' OR h.held_since IS NOT NULL))
                   OR (ranked.priority_turn <= 1 AND COALESCE(busy.running, 0) = 0
                       AND NOT EXISTS (SELECT 1 FROM orders s
                                       WHERE s.user_id = ranked.user_id AND s.status IN ({HoldingStatusList})
                                         AND (s.created_at, s.order_id) < (ranked.created_at, ranked.order_id)
                                         AND s.submitted_with_order_id IS NULL)))
              -- The lock statement drops these (a stopping user's new placements); left in, they could fill the window
              -- on every claim while the users' cancels run, and the claim would take nothing with slots free.
              AND (ranked.priority <> {WorkPriority.Place} OR ranked.user_id <> ALL($8::text[]))
            ORDER BY ranked.turn, ranked.work_due_at, ranked.user_id, ranked.order_id
            LIMIT $9
            """;

    /// <summary>
    /// The users with held orders for whom IBKR is still unavailable (their held orders are not released). Nothing is
    /// read while IBKR is available for everyone.
    /// </summary>
    private async Task<string[]> PausedUsersAsync(OrderProcessorDbContext db, CancellationToken cancellationToken)
    {
        if (availability is null)
        {
            return [];
        }

        var (regions, users) = availability.Unavailable();
        if (regions.Count == 0 && users.Count == 0)
        {
            return [];
        }

        var held = await db.Orders.Where(o => o.Status == OrderStatus.Held).Select(o => o.UserId!).Distinct().ToListAsync(cancellationToken);
        return [.. held.Where(u => users.Contains(u) || regions.Contains(availability.RegionOf(u)) || !availability.Check(u).Available)];
    }

    public Task<bool> UpdateGroupAsync(ClaimedWork work, Func<IReadOnlyList<OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        var firstAttempt = true;
        return UpdateAsync(work.UserId, work.Epoch, async db =>
        {
            if (firstAttempt)
            {
                firstAttempt = false;
                // Copies, not the claimed objects: an attempt that fails (a dropped connection, a refused fence) leaves its
                // changes on what it attached, and a later write of the same work (a cancel's answer after its look-up)
                // would take them for the database's and write only its own (a gap in the events, a value never written).
                // A work's second write thus decides on the claim's version and, if its first write committed, conflicts
                // and reads the orders again.
                var claimed = work.Group.Select(o => o.Copy()).ToList();
                db.Orders.AttachRange(claimed);
                return transition(claimed);
            }

            var group = await LoadGroupAsync(db, work.LeaderId, cancellationToken);
            return group.Count == 0 ? null : transition(group);
        }, cancellationToken);
    }

    public Task<bool> UpdateOpenOrdersAsync(string userId, long epoch, IReadOnlyCollection<string> clientOrderIds,
        Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition, CancellationToken cancellationToken)
    {
        var firstAttempt = true;
        return UpdateAsync(userId, epoch, async db =>
        {
            if (firstAttempt)
            {
                firstAttempt = false;
                if (DecideOnWrittenVersions(db, userId, clientOrderIds, transition) is { } decided)
                {
                    return decided;
                }
            }

            var finals = OrderLifecycle.FinalStatuses.ToArray();
            // One order (a stream's report, nearly always) by equality: PostgreSQL prices the generic plan of "= ANY" on
            // an array it cannot see as ten lookups and so planned that read afresh every time (0.38 ms of its CPU per
            // fill in the benchmark); of "=" it keeps the generic plan, one lookup in the unique index.
            var only = clientOrderIds.Count == 1 ? clientOrderIds.First() : null;
            var open = only is null
                ? db.Orders.Where(o => o.UserId == userId && clientOrderIds.Contains(o.ClientOrderId) && !finals.Contains(o.Status))
                : db.Orders.Where(o => o.UserId == userId && o.ClientOrderId == only && !finals.Contains(o.Status));
            var orders = await open.ToDictionaryAsync(o => o.ClientOrderId, StringComparer.Ordinal, cancellationToken);
            // Called with none open too: a writer deciding again after a conflict must learn that the other writer ended
            // the orders (before, it kept its first run's decision and took the unwritten result for a lease refusal).
            return transition(orders);
        }, cancellationToken, writeNothingUnfenced: true);
    }

    /// <summary>
    /// The transition on the versions of the orders this store last wrote, when it kept every one named and the transition
    /// changes every one: each update then carries the version's <c>xmin</c> as its check, so a version someone changed
    /// since conflicts and the write is decided again on a read. Null (the context left empty) when a version is missing
    /// or the transition leaves one unchanged: that decision was made on a version nothing checks, and is made again on a
    /// read.
    /// </summary>
    private OrderDecision? DecideOnWrittenVersions(OrderProcessorDbContext db, string userId, IReadOnlyCollection<string> clientOrderIds,
        Func<IReadOnlyDictionary<string, OrderSaga>, OrderDecision> transition)
    {
        if (_written.TakeAll(userId, clientOrderIds) is not { } kept)
        {
            return null;
        }

        db.Orders.AttachRange(kept);
        var decision = transition(kept.ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal));
        db.ChangeTracker.DetectChanges();
        if (decision.Created.Count == 0 && kept.All(o => db.Entry(o).State == EntityState.Modified))
        {
            return decision;
        }

        db.ChangeTracker.Clear();
        return null;
    }

    public async Task<IReadOnlyList<string>> FollowedOrdersAsync(string userId, DateTimeOffset changedBefore, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Orders.Where(o => o.UserId == userId && Followed.Contains(o.Status) && o.UpdatedAt < changedBefore)
            .Select(o => o.ClientOrderId).ToListAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<string> Users, IReadOnlyDictionary<string, long> Held)> UsersToFollowAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var users = await db.Orders.Where(o => Followed.Contains(o.Status) && o.UserId != null)
            .Select(o => o.UserId!).Distinct().ToListAsync(cancellationToken);

        // Following renews this instance's leases; users another live instance holds are followed there.
        var grant = await ownership.TryOwnAsync(db, users, cancellationToken);
        ownership.Record(grant);
        return (users, grant.Owned.ToDictionary(o => o.Key, o => o.Value.Epoch, StringComparer.Ordinal));
    }

    /// <summary>Loads a submission group: the leader, then the orders its submission carries, in a stable order.</summary>
    public static async Task<List<OrderSaga>> LoadGroupAsync(OrderProcessorDbContext db, Guid leaderId, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.Where(o => o.OrderId == leaderId || o.SubmittedWithOrderId == leaderId).ToListAsync(cancellationToken);
        return orders.Find(o => o.OrderId == leaderId) is { } leader ? SubmissionGroup.Of(leader, orders) : [];
    }

    private static async Task<List<List<OrderSaga>>> LoadGroupsAsync(OrderProcessorDbContext db, IReadOnlyList<OrderSaga> leaders,
        IReadOnlySet<Guid> carrying, CancellationToken cancellationToken)
    {
        var leaderIds = leaders.Where(l => carrying.Contains(l.OrderId)).Select(l => l.OrderId).ToList();
        var carried = leaderIds.Count == 0 ? []
            : await db.Orders.Where(o => o.SubmittedWithOrderId != null && leaderIds.Contains(o.SubmittedWithOrderId.Value)).ToListAsync(cancellationToken);
        return [.. leaders.Select(leader => SubmissionGroup.Of(leader, carried))];
    }

    private async Task<bool> UpdateAsync(string userId, long epoch, Func<OrderProcessorDbContext, Task<OrderDecision?>> apply, CancellationToken cancellationToken,
        bool writeNothingUnfenced = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var decision = await apply(db);
            if (decision is null)
            {
                return false;
            }

            if (writeNothingUnfenced && decision.IsEmpty && !db.ChangeTracker.HasChanges())
            {
                // A report of IBKR's that changes nothing (a stream frame without news, or one left to the send): nothing
                // to fence either, and no transaction is spent on it. What it read is the orders' versions now.
                _written.Remember(db.ChangeTracker.Entries<OrderSaga>().Select(e => e.Entity));
                return true;
            }

            db.Orders.AddRange(decision.Created);
            OutboxWriter.Append(db, decision);
            var wakesWorker = WakesWorker(db, timeProvider.GetUtcNow());
            try
            {
                if (!await LeaseFence.SaveChangesAndCommitAsync(db, userId, ownership.LeaseOwner, epoch, cancellationToken))
                {
                    // Work done under a lease this instance no longer holds: its result is refused, and the new holder
                    // takes the order up (a send is reconciled there, never repeated blindly).
                    metrics.ResultRefused();
                    return false;
                }
            }
            catch (Exception exception) when (attempt < ConflictRetries && Consumers.DatabaseRetry.IsConflict(exception))
            {
                // Another writer changed one of these orders first (its xmin moved, or it took the next event sequence
                // number), or a takeover deadlocked with the fence (LeaseFenceInterceptor): read them again and decide
                // again.
                metrics.SagaConflict();
                continue;
            }

            // Committed: these are the orders' versions now (xmin read back by the save).
            _written.Remember(db.ChangeTracker.Entries<OrderSaga>().Select(e => e.Entity));
            Written(decision, wakesWorker);
            return true;
        }
    }

    private void Written(OrderDecision decision, bool wakesWorker)
    {
        metrics.EventsWritten(decision);
        if (decision.Events.Count > 0)
        {
            outboxSignal.Notify();
        }

        if (wakesWorker)
        {
            workSignal.Notify();
        }
    }

    /// <summary>
    /// Whether this write can give the broker worker something to claim at once: an order with work due now, or an order
    /// leaving a status that holds back its user's other placements (see <see cref="CandidatesSql"/>: held orders and
    /// orders in a margin check or in a send that was held hold back the rest; a plain send holds back only while its user
    /// has held orders, rare enough to be left to the worker's next look). Most results (a send's answer, a fill) do
    /// neither: woken by each, the worker made a claim that found nothing, two per order at a steady rate. A user's share
    /// of the worker, freed when its work ends, wakes the worker there (<see cref="BrokerWorker"/>).
    /// </summary>
    private static bool WakesWorker(OrderProcessorDbContext db, DateTimeOffset now) =>
        db.ChangeTracker.Entries<OrderSaga>().Any(entry => entry.State switch
        {
            EntityState.Added => DueNow(entry.Entity, now),
            EntityState.Modified => DueNow(entry.Entity, now) || LeftHoldingStatus(entry),
            _ => false,
        });

    private static bool DueNow(OrderSaga order, DateTimeOffset now) =>
        order.WorkDue != OrderWork.None && (order.WorkDueAt is not { } dueAt || dueAt <= now);

    private static bool LeftHoldingStatus(EntityEntry<OrderSaga> entry)
    {
        var was = entry.Property(o => o.Status).OriginalValue;
        var heldSince = entry.Property(o => o.HeldSince).OriginalValue;
        return was != entry.Entity.Status && HoldingStatuses.Contains(was) && (was != OrderStatus.Submitting || heldSince is not null);
    }
}

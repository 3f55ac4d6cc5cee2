using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;
using OrderProcessor.Persistence;
using OrderProcessor.Telemetry;

namespace OrderProcessor.Outbox;

/// <summary>
/// Publishes unpublished outbox rows to RabbitMQ with their own message ids, then marks them published (never deletes
/// them). Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>, so relays of several instances work side by side; only
/// each order's first unpublished row is taken, so each order's events leave in order and rows held back never take a
/// batch's place from other orders. A failed publish is retried with backoff and holds back the later events of that
/// order only; a row that can never be published as it is gets parked (<see cref="OutboxParking"/>).
/// </summary>
public sealed partial class OutboxRelay(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    IBus bus,
    OutboxSignal signal,
    OutboxRelayStatus status,
    OrderProcessorMetrics metrics,
    IOptions<OutboxOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private readonly OutboxOptions _options = options.Value;
    private DateTimeOffset? _lastConfirmedAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A batch under way when the stop comes is let finish (its rows then marked published), within the flush time:
        // cut short between a publish and its commit, its rows would be published again.
        using var batches = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        await using var stopping = stoppingToken.Register(() => batches.CancelAfter(_options.ShutdownFlushTimeout));
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var batch = await RelayBatchAsync(long.MaxValue, batches.Token);
                failures = 0;
                status.Succeeded(timeProvider.GetUtcNow());
                // Look again at once only when rows are known to wait (see RelayedBatch): a full batch, rows a failure left
                // untried, or an order whose next event was held back behind the one published (a batch takes one row per
                // order). Otherwise a read would find nothing
                // (at a steady rate, most batches are one order's one event): events committed since this batch's read
                // have notified the signal, so the wait returns at once for them.
                if (!batch.MoreWaiting)
                {
                    await signal.WaitAsync(_options.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                failures++;
                status.Failed(timeProvider.GetUtcNow(), exception.Message);
                var delay = Backoff(failures);
                LogRelayFailed(exception, failures, delay);
                await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await FlushAsync();
    }

    /// <summary>
    /// A clean stop: the broker worker has drained (it stops before the relay) and the bus still runs (it stops after),
    /// so what the drain recorded leaves now rather than waiting for another instance's relay.
    /// </summary>
    private async Task FlushAsync()
    {
        if (_options.ShutdownFlushTimeout <= TimeSpan.Zero)
        {
            return;
        }

        using var flush = new CancellationTokenSource(_options.ShutdownFlushTimeout, timeProvider);
        var total = 0;
        try
        {
            // What is there now, not what other instances keep writing meanwhile (their relays publish that).
            long upTo;
            await using (var db = await dbFactory.CreateDbContextAsync(flush.Token))
            {
                upTo = await db.Outbox.Where(o => o.PublishedAt == null).MaxAsync(o => (long?)o.Sequence, flush.Token) ?? 0;
            }

            int published;
            do
            {
                published = (await RelayBatchAsync(upTo, flush.Token)).Claimed;
                total += published;
            }
            while (published > 0);
            LogFlushed(total);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || flush.IsCancellationRequested)
        {
            // Left in the outbox: another instance's relay (or this one's next start) publishes it.
            LogFlushIncomplete(exception, total);
        }
    }

    /// <summary>
    /// The batch's candidates ({0}: now, {1}: the highest sequence to take, {2}: the batch size); see
    /// <see cref="RelayBatchAsync(long, CancellationToken)"/> and <see cref="ReadPlanSettings"/>. A candidate is its
    /// order's first unpublished row: asked as the order's lowest unpublished sequence, a scalar subquery, which PostgreSQL
    /// can answer only per candidate and only from <c>ix_outbox_messages_unpublished_by_order</c> (one descent). Asked as
    /// "no earlier unpublished row" (an anti-join), it was planned from statistics that said one row: in the benchmark's
    /// burst it compared each candidate with every earlier unpublished row (10,335 pages for a read of 190 rows).
    /// </summary>
    internal const string UnpublishedRowsSql = """
        SELECT o.* FROM outbox_messages o
        WHERE o.published_at IS NULL AND o.parked_at IS NULL
          AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= {0}) AND o.sequence <= {1}
          AND o.sequence = (
            SELECT min(first.sequence) FROM outbox_messages first
            WHERE first.order_id = o.order_id AND first.published_at IS NULL)
        ORDER BY o.sequence
        LIMIT {2}
        FOR UPDATE OF o SKIP LOCKED
        """;

    /// <summary>
    /// The read walks the unpublished rows' partial indexes entry by entry (an index scan), never a bitmap or a
    /// sequential scan. Publishing a row is an update that leaves its entry in those indexes until VACUUM, and
    /// autovacuum comes after a fifth of the table has changed: late in a day, hundreds of thousands of dead entries.
    /// An index scan marks the entries of rows it finds dead (<c>LP_DEAD</c>) and passes over them afterwards without
    /// visiting the table, and a full index page drops them; a bitmap scan does neither, so every read would visit the
    /// table for each of them again. PostgreSQL picked the bitmap scan in the benchmark (from statistics of a table that
    /// grew in seconds): 7,224 dead entries and 782 pages per read of 24 rows, against 25 pages once they are marked
    /// (entries are marked once no snapshot can still see the rows, so a long transaction delays it). Set for the read alone (the settings and their reset ride in its round
    /// trip, and return no rows: EF reads the candidates).
    /// </summary>
    internal const string ReadPlanSettings = "SET LOCAL enable_seqscan = off;\nSET LOCAL enable_bitmapscan = off;\n";

    private const string ReadPlanReset = ";\nSET LOCAL enable_seqscan TO DEFAULT;\nSET LOCAL enable_bitmapscan TO DEFAULT";

    internal const string PlannedRead = ReadPlanSettings + UnpublishedRowsSql + ReadPlanReset;

    /// <summary>Publishes one batch; returns how many rows it claimed.</summary>
    public async Task<int> RelayBatchAsync(CancellationToken cancellationToken) => (await RelayBatchAsync(long.MaxValue, cancellationToken)).Claimed;

    /// <summary>Publishes one batch of rows up to sequence <paramref name="upTo"/>; returns how many rows it claimed.</summary>
    /// <remarks>
    /// Only the first unpublished row of each order is a candidate, and only when it is due and not parked: a row held
    /// back by an earlier unpublished row of its order (in backoff, parked, or being published by another relay) never
    /// takes a batch slot from another order's row. The order's next row becomes its first once this one is published,
    /// for the next batch. Locked with <c>SKIP LOCKED</c>: what another relay holds is passed over, never waited for.
    /// </remarks>
    private async Task<RelayedBatch> RelayBatchAsync(long upTo, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var rows = await db.Outbox.FromSqlRaw(PlannedRead, now, upTo, _options.BatchSize).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return new RelayedBatch(0, false);
        }

        var outcomes = await PublishAsync(rows, cancellationToken);
        var publishedAt = timeProvider.GetUtcNow();
        if (outcomes.Any(o => o.Error is null && o.Park is null))
        {
            _lastConfirmedAt = publishedAt;
        }

        var brokerTakesMessages = BrokerTakesMessages(publishedAt);
        var parked = new List<(OutboxMessage Row, OutboxParkDecision Decision)>();
        var published = new List<long>(outcomes.Count);
        foreach (var (row, error, parkBeforePublish, exception) in outcomes)
        {
            if (error is null)
            {
                // Marked below with the batch's other published rows in one statement, not through the change tracker.
                published.Add(row.Sequence);
                continue;
            }

            row.Attempts++;
            row.LastError = error.Length > 2000 ? error[..2000] : error;
            var park = parkBeforePublish
                ?? (exception is null ? null : OutboxParking.AfterFailure(exception, row.MessageType, brokerTakesMessages))
                ?? OutboxParking.AfterAttempts(row.Attempts, _options.ParkAfterAttempts, brokerTakesMessages, row.LastError);
            if (park is null)
            {
                row.NextAttemptAt = publishedAt + Backoff(row.Attempts);
                continue;
            }

            // Only the relay's own columns change: the row's content and hash stay as written.
            row.ParkedAt = publishedAt;
            row.ParkReason = park.Text.Length > 1000 ? park.Text[..1000] : park.Text;
            row.NextAttemptAt = null;
            parked.Add((row, park));
        }

        var heldBack = false;
        if (published.Count > 0)
        {
            // One statement for the batch (the usual case is every row published), not one UPDATE per row; it also says
            // whether a published row's order has a later event waiting (see RelayedBatch).
            var sequences = published.ToArray();
            heldBack = (await db.Database.SqlQuery<bool>($"""
                WITH marked AS (
                  UPDATE outbox_messages SET attempts = attempts + 1, published_at = {publishedAt}, last_error = NULL, next_attempt_at = NULL
                  WHERE sequence = ANY({sequences})
                  RETURNING order_id, sequence)
                SELECT COALESCE(bool_or((SELECT true FROM outbox_messages later
                                         WHERE later.order_id = marked.order_id AND later.sequence > marked.sequence
                                           AND later.published_at IS NULL AND later.parked_at IS NULL
                                         LIMIT 1) IS NOT NULL), false) AS "Value"
                FROM marked
                """).ToListAsync(cancellationToken))[0];
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var (row, park) in parked)
        {
            metrics.RowParked(park.Cause);
            LogParked(row.Sequence, row.MessageType, row.OrderId, row.OrderSequence, park.Text);
        }

        // Rows left untried after a failure ended the round are still due: looked at again at once, as before.
        return new RelayedBatch(rows.Count, rows.Count >= _options.BatchSize || heldBack || outcomes.Count < rows.Count);
    }

    /// <summary>
    /// What one batch did: the rows it claimed, and whether rows are known to wait for the next one at once (the batch
    /// was full, a failed publish ended the round before some of its rows were tried, or an order it published has a
    /// later event, which was held back behind it). The last check is a scalar
    /// subquery per published row in the marking statement, so one descent of <c>ix_outbox_messages_unpublished_by_order</c>
    /// each; the statement's snapshot predates its own update, and only a later sequence counts, so the row just marked
    /// is never its own successor. Events committed after the snapshot are not seen, and need not be: their commit
    /// notified the signal of the relay of the instance that wrote them. That relay passes over an event whose order's
    /// earlier one this batch still holds; should such an event commit between this statement and this batch's commit
    /// (a window of about a millisecond), it waits for the next wake-up of either relay, at most
    /// <c>Outbox:PollInterval</c>.
    /// </summary>
    private readonly record struct RelayedBatch(int Claimed, bool MoreWaiting);

    /// <summary>
    /// Whether RabbitMQ demonstrably takes events (this relay had one confirmed within two rounds of the longest backoff
    /// and a publish timeout): only then does a failure say something about the row rather than about the broker.
    /// </summary>
    private bool BrokerTakesMessages(DateTimeOffset now) =>
        _lastConfirmedAt is { } confirmed && now - confirmed <= 2 * (_options.MaxBackoff + _options.PublishTimeout);

    /// <summary>
    /// Publishes the claimed rows (one per order): rows tried for the first time together, then rows that failed before
    /// one at a time, and those only when every first-time row went out. A refused exchange closes the channel under every
    /// publish on it, so a failure seen beside others does not say whose it was; a row that fails again published alone
    /// is the one to blame, and only such failures reach <c>Outbox:ParkAfterAttempts</c>, so a row is never parked for
    /// another's refusal. The first failure ends the round: the rows after it are left as they were, for the next batch.
    /// </summary>
    private async Task<List<Outcome>> PublishAsync(List<OutboxMessage> rows, CancellationToken cancellationToken)
    {
        var outcomes = (await Task.WhenAll(rows.Where(r => r.Attempts == 0).Select(r => PublishAsync(r, cancellationToken)))).ToList();
        if (outcomes.Any(o => o.PublishFailed))
        {
            return outcomes;
        }

        foreach (var row in rows.Where(r => r.Attempts > 0))
        {
            var outcome = await PublishAsync(row, cancellationToken);
            outcomes.Add(outcome);
            if (outcome.PublishFailed)
            {
                break;
            }
        }

        return outcomes;
    }

    private async Task<Outcome> PublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        if (OutboxParking.TryRead(row, _options.MaxBodyBytes, out var message, out var type) is { } unreadable)
        {
            return new Outcome(row, unreadable.Text, unreadable);
        }

        try
        {
            using var activity = OrderProcessorTelemetry.StartChild("outbox publish " + row.MessageType, row.TraceParent);
            activity?.SetTag("order.id", row.OrderId);
            // A publish whose broker confirm never comes (RabbitMQ.Client can hang so after a connection recovery)
            // must not hold the relay: past the timeout it counts as failed and is retried; consumers de-duplicate
            // by message id should the first attempt have gone out after all.
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_options.PublishTimeout);
            await OutboxPublisher.PublishAsync(bus, row, message!, type!, attempt.Token).WaitAsync(_options.PublishTimeout, timeProvider, cancellationToken);
            if (row.ResponseAddress is not null)
            {
                await OutboxPublisher.RespondAsync(bus, row, attempt.Token).WaitAsync(_options.PublishTimeout, timeProvider, cancellationToken);
            }

            return new Outcome(row, null, null);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPublishFailed(exception, row.Sequence, row.MessageType, row.OrderId);
            return new Outcome(row, exception.Message, null, exception);
        }
    }

    /// <summary>What became of one claimed row: published (no error), failed (to retry or park), or parked before publishing.</summary>
    private sealed record Outcome(OutboxMessage Row, string? Error, OutboxParkDecision? Park, Exception? Exception = null)
    {
        /// <summary>The broker did not take it (a row parked before publishing was never offered).</summary>
        public bool PublishFailed => Error is not null && Park is null;
    }

    private TimeSpan Backoff(int attempts)
    {
        var exponential = TimeSpan.FromMilliseconds(100 * Math.Pow(2, Math.Min(attempts, 16)));
        return exponential < _options.MaxBackoff ? exponential : _options.MaxBackoff;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: the outbox relay published the last {Count} event(s)")]
    private partial void LogFlushed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down: the outbox relay published {Count} event(s) and left the rest to the other instances")]
    private partial void LogFlushIncomplete(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay failed ({Failures} in a row); next try in {Delay}")]
    private partial void LogRelayFailed(Exception exception, int failures, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Outbox row {Sequence} ({MessageType}, event {OrderSequence} of order {OrderId}) is parked: {Reason}. The order's later events wait behind it; fix the cause, then `orders outbox retry --sequence {Sequence}`")]
    private partial void LogParked(long sequence, string messageType, Guid orderId, long orderSequence, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing outbox row {Sequence} ({MessageType} of order {OrderId}) failed")]
    private partial void LogPublishFailed(Exception exception, long sequence, string messageType, Guid orderId);
}

using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using OrderProcessor.Contracts;
using OrderProcessor.Persistence;

namespace OrderProcessor.Telemetry;

/// <summary>
/// Figures read from PostgreSQL for gauges and health: orders by state, how long the oldest order in each state the
/// processor moves on by itself has not changed, and the age of the oldest unpublished outbox row.
/// Read at most every few seconds, whatever the scrape rate.
/// </summary>
public sealed class DatabaseGauges(IDbContextFactory<OrderProcessorDbContext> dbFactory, TimeProvider timeProvider)
{
    /// <summary>
    /// The states an order leaves through the processor's own work, in seconds on a healthy system (the others wait for
    /// the market, an operator, or are final). An order long unchanged in one of them is stuck.
    /// </summary>
    public static readonly IReadOnlyList<OrderStatus> InProgressStates =
        [OrderStatus.Received, OrderStatus.MarginChecking, OrderStatus.MarginApproved, OrderStatus.Submitting, OrderStatus.PendingCancel];

    private static readonly TimeSpan OrdersFreshness = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan LagFreshness = TimeSpan.FromSeconds(2);
    private readonly Lock _gate = new();
    private (DateTimeOffset At, List<Measurement<long>> Values)? _orders;
    private (DateTimeOffset At, TimeSpan Lag)? _lag;
    private (DateTimeOffset At, List<Measurement<long>> Values)? _parked;
    private (DateTimeOffset At, List<Measurement<double>> Values)? _inProgress;
    private (DateTimeOffset At, List<Measurement<long>> Values)? _halts;

    /// <summary>
    /// Age of the oldest unpublished outbox row (zero when everything is published), parked rows and the rows held
    /// behind them left out: they are reported on their own (see <see cref="Health.OutboxParkedHealthCheck"/>), and one
    /// row that cannot be published must not fail every instance's readiness while the rest flows.
    /// </summary>
    public async Task<TimeSpan> ReadOutboxLagAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var oldest = await db.Outbox
            .Where(o => o.PublishedAt == null && o.ParkedAt == null &&
                !db.Outbox.Any(parked => parked.OrderId == o.OrderId && parked.PublishedAt == null && parked.ParkedAt != null && parked.Sequence < o.Sequence))
            .OrderBy(o => o.Sequence).Select(o => (DateTimeOffset?)o.CreatedAt)
            .FirstOrDefaultAsync(cancellationToken);
        var lag = oldest is { } created ? timeProvider.GetUtcNow() - created : TimeSpan.Zero;
        lock (_gate)
        {
            _lag = (timeProvider.GetUtcNow(), lag);
        }

        return lag;
    }

    internal IEnumerable<Measurement<long>> OrdersByState() => ReadCached(ref _orders, db =>
    {
        // Every state keeps its series, at 0 when no order is in it: an alert on a state (NeedsAttention) always has one
        // to read, and a scrape before the first order already shows the metric.
        var counts = db.Orders.GroupBy(o => o.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToDictionary(g => g.Key, g => g.Count);
        return Enum.GetValues<OrderStatus>()
            .Select(state => new Measurement<long>(counts.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state.ToString()))).ToList();
    });

    /// <summary>
    /// For each of <see cref="InProgressStates"/>, seconds since the least recently changed order in it last changed
    /// visibly: the time of its last event (its creation when it has none yet), not of its last claim (0 when none is
    /// in it: every state keeps its series, so an alert always has one to read).
    /// </summary>
    internal IEnumerable<Measurement<double>> OldestInProgress() => ReadCached(ref _inProgress, db =>
    {
        var states = InProgressStates.ToArray();
        // Not UpdatedAt: every claim of the order's work sets it, so an order retrying its submit or reconciling
        // every few seconds would never look old. Its last event (found through the unique (order_id,
        // order_sequence) index; the in-progress set is small) changes only when the order visibly moves.
        var oldest = db.Orders.Where(o => states.Contains(o.Status))
            .Select(o => new
            {
                o.Status,
                Changed = db.Outbox.Where(m => m.OrderId == o.OrderId && m.OrderSequence == o.LastEventSequence && o.LastEventSequence > 0)
                    .Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefault() ?? o.CreatedAt,
            })
            .GroupBy(o => o.Status)
            .Select(g => new { g.Key, Oldest = g.Min(o => o.Changed) }).ToList();
        var now = timeProvider.GetUtcNow();
        return InProgressStates.Select(state =>
        {
            var age = oldest.FirstOrDefault(o => o.Key == state) is { } found ? Math.Max(0, (now - found.Oldest).TotalSeconds) : 0;
            return new Measurement<double>(age, new KeyValuePair<string, object?>("state", state.ToString()));
        }).ToList();
    });

    internal IEnumerable<Measurement<long>> OutboxParked() => ReadCached(ref _parked, db =>
        [new Measurement<long>(Outbox.ParkedOutboxRows.CountAsync(db, CancellationToken.None).GetAwaiter().GetResult())]);

    /// <summary>Active trading halts (kill switch) by scope (all, account, user); every scope keeps its series, at 0 when none.</summary>
    internal IEnumerable<Measurement<long>> ActiveHalts() => ReadCached(ref _halts, db =>
    {
        var counts = db.TradingHalts.Where(h => h.ResumedAt == null).GroupBy(h => h.Scope)
            .Select(g => new { g.Key, Count = g.LongCount() }).ToDictionary(g => g.Key, g => g.Count);
        return new[] { Halts.HaltScopes.All, Halts.HaltScopes.Account, Halts.HaltScopes.User }
            .Select(scope => new Measurement<long>(counts.GetValueOrDefault(scope), new KeyValuePair<string, object?>("scope", scope))).ToList();
    });

    /// <summary>
    /// A gauge's measurements from <paramref name="cache"/> while younger than <see cref="OrdersFreshness"/>, else read
    /// anew (a scrape costs at most one query per gauge every few seconds); none while PostgreSQL cannot answer.
    /// </summary>
    private List<Measurement<T>> ReadCached<T>(ref (DateTimeOffset At, List<Measurement<T>> Values)? cache,
        Func<OrderProcessorDbContext, List<Measurement<T>>> read)
        where T : struct
    {
        lock (_gate)
        {
            if (cache is { } cached && timeProvider.GetUtcNow() - cached.At < OrdersFreshness)
            {
                return cached.Values;
            }
        }

        try
        {
            using var db = dbFactory.CreateDbContext();
            var values = read(db);
            lock (_gate)
            {
                cache = (timeProvider.GetUtcNow(), values);
            }

            return values;
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return [];
        }
    }

    internal IEnumerable<Measurement<double>> OutboxLag()
    {
        lock (_gate)
        {
            if (_lag is { } cached && timeProvider.GetUtcNow() - cached.At < LagFreshness)
            {
                return [new Measurement<double>(cached.Lag.TotalSeconds)];
            }
        }

        try
        {
            return [new Measurement<double>(ReadOutboxLagAsync(CancellationToken.None).GetAwaiter().GetResult().TotalSeconds)];
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or InvalidOperationException)
        {
            return [];
        }
    }
}

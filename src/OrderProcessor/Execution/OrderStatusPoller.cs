using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Gateway;
using OrderProcessor.Configuration;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// Follows orders at IBKR: for every user with orders at IBKR that are not final, reads the live orders (within IBKR's
/// 1-per-5-s pacing) and feeds what changed into the sagas. An order the live orders no longer list ended in an earlier
/// session (the processor crashed or restarted, the session was re-initialised): its fills are read from today's trades.
/// A user with nothing live is not polled.
/// </summary>
public sealed partial class OrderStatusPoller(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    IBrokerageGateway gateway,
    UserSessionOwnership ownership,
    SagaStore store,
    IOptions<LifecycleOptions> options,
    TimeProvider timeProvider,
    ILogger<OrderStatusPoller> logger) : BackgroundService
{
    private static readonly OrderStatus[] AtIbkr = [OrderStatus.Submitted, OrderStatus.Working, OrderStatus.PartiallyFilled, OrderStatus.PendingCancel];
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastPolled = new(StringComparer.Ordinal);
    private readonly TimeSpan _interval = options.Value.StatusPollInterval;

    // Which users have orders at IBKR is read (and their leases renewed) at most once a second, not on every tick.
    private readonly TimeSpan _usersFreshness = options.Value.StatusPollInterval < TimeSpan.FromSeconds(1) ? options.Value.StatusPollInterval : TimeSpan.FromSeconds(1);
    private List<string> _users = [];
    private IReadOnlySet<string> _owned = new HashSet<string>();
    private DateTimeOffset _usersReadAt = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Ticks of a tenth of the interval (at least 100 ms): with many users, each tick polls a few of them rather than
        // one tick in five polling a crowd at once.
        var tick = TimeSpan.FromTicks(Math.Max(_interval.Ticks / 10, TimeSpan.FromMilliseconds(100).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PollDueUsersAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogPollFailed(exception, "*");
            }

            await Task.Delay(tick, timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task PollDueUsersAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (now - _usersReadAt >= _usersFreshness)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            _users = await db.Orders.Where(o => AtIbkr.Contains(o.Status) && o.UserId != null)
                .Select(o => o.UserId!).Distinct().ToListAsync(cancellationToken);

            // Polling renews this instance's leases; users another live instance holds are polled there.
            _owned = await ownership.TryOwnAsync(db, _users, cancellationToken);
            _usersReadAt = now;
        }

        var (users, owned) = (_users, _owned);

        // A user seen for the first time is given a random place in the interval, so that many users' polls (and the
        // saga updates they bring) spread over it instead of all falling on the same tick.
        foreach (var user in users.Where(u => owned.Contains(u) && !_lastPolled.ContainsKey(u)))
        {
            _lastPolled.TryAdd(user, now - _interval * Random.Shared.NextDouble());
        }

        var due = users.Where(u => owned.Contains(u) && _lastPolled.TryGetValue(u, out var last) && now - last >= _interval).ToList();
        foreach (var gone in _lastPolled.Keys.Except(users).ToList())
        {
            _lastPolled.TryRemove(gone, out _);
        }

        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken },
            async (user, ct) =>
            {
                _lastPolled[user] = now;
                try
                {
                    await PollUserAsync(user, ct);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogPollFailed(exception, user);
                }
            });
    }

    private async Task PollUserAsync(string userId, CancellationToken cancellationToken)
    {
        var asked = timeProvider.GetUtcNow();
        var live = await gateway.GetLiveOrdersAsync(userId, cancellationToken: cancellationToken);
        var observations = live.Select(OutcomeTranslator.Observation)
            .Where(o => o is not null && o.ClientOrderId.StartsWith(ClientOrderId.Prefix, StringComparison.Ordinal))
            .GroupBy(o => o!.ClientOrderId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()!, StringComparer.Ordinal);

        // IBKR lists only orders that are working or ended in the current session. An order of ours at IBKR that is
        // not listed ended in an earlier one (before a crash, a restart or a re-init): its fills are in today's trades.
        foreach (var (clientOrderId, observation) in await FromTradesAsync(userId, observations.Keys, asked, cancellationToken))
        {
            observations.TryAdd(clientOrderId, observation);
        }

        if (observations.Count == 0)
        {
            return;
        }

        await store.UpdateOpenByClientOrderIdsAsync(observations.Keys, orders =>
        {
            var decision = new OrderDecision();
            var stampAt = timeProvider.GetUtcNow();
            var observationId = Guid.CreateVersion7(stampAt);
            foreach (var (clientOrderId, order) in orders)
            {
                if (order.UserId == userId)
                {
                    decision.Include(OrderTransitions.Observe(order, observations[clientOrderId],
                        EventStamp.Create(stampAt, order.CorrelationId, observationId)));
                }
            }

            return decision;
        }, cancellationToken);
    }

    private async Task<Dictionary<string, BrokerOrderObservation>> FromTradesAsync(string userId, IReadOnlyCollection<string> listed,
        DateTimeOffset asked, CancellationToken cancellationToken)
    {
        // An order that changed just before the live orders were asked for may simply not be listed yet: it is looked
        // for in the trades only once it has been unlisted for a whole interval.
        var settledBefore = asked - _interval;
        Dictionary<string, decimal> unlisted;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            unlisted = await db.Orders.Where(o => o.UserId == userId && AtIbkr.Contains(o.Status) && !listed.Contains(o.ClientOrderId) && o.UpdatedAt < settledBefore)
                .ToDictionaryAsync(o => o.ClientOrderId, o => o.Quantity ?? 0, StringComparer.Ordinal, cancellationToken);
        }

        if (unlisted.Count == 0)
        {
            return [];
        }

        var trades = await gateway.GetTradesAsync(userId, 1, cancellationToken);
        return OutcomeTranslator.FromTrades(trades, unlisted).ToDictionary(o => o.ClientOrderId, StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the live orders of user {UserId} failed; the next poll tries again")]
    private partial void LogPollFailed(Exception exception, string userId);
}

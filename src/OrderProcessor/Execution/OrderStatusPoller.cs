using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderProcessor.Configuration;

namespace OrderProcessor.Execution;

/// <summary>
/// Follows orders at IBKR: every user with orders IBKR has that are not final is polled (<see cref="UserOrdersPoll"/>)
/// once per interval, within IBKR's 1-per-5-s pacing. A user with nothing at IBKR is not polled. On a clean stop it reads
/// every held user once more, after the broker worker has drained.
/// <para>
/// Each user is polled on its own schedule and the poller never waits for one: a user's poll runs on its own, bounded by
/// its deadline, and while it is under way that user is skipped (never polled twice at once) while every other user's
/// poll starts on time. A user stuck behind its gate, its pacing or a slow IBKR delays only itself.
/// </para>
/// </summary>
public sealed partial class OrderStatusPoller(
    IOrderStore store,
    UserOrdersPoll poll,
    LeaseReleaseSignal releases,
    IOptions<LifecycleOptions> options,
    TimeProvider timeProvider,
    ILogger<OrderStatusPoller> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastPolled = new(StringComparer.Ordinal);

    // The poll under way of each user; a user with one under way is not polled again until it ends.
    private readonly ConcurrentDictionary<string, Task> _underWay = new(StringComparer.Ordinal);
    private readonly TimeSpan _interval = options.Value.StatusPollInterval;

    // Which users have orders at IBKR is read (and their leases renewed) at most once a second, not on every tick.
    private readonly TimeSpan _usersFreshness = options.Value.StatusPollInterval < TimeSpan.FromSeconds(1) ? options.Value.StatusPollInterval : TimeSpan.FromSeconds(1);
    private IReadOnlyList<string> _users = [];
    private IReadOnlyDictionary<string, long> _owned = new Dictionary<string, long>();
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

            // Another instance's clean stop wakes the poller at once: the users it released are read (and taken) now.
            try
            {
                if (await releases.WaitAsync(tick, stoppingToken))
                {
                    _usersReadAt = DateTimeOffset.MinValue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        // The regular polls under way were cancelled with the stop; they end before the last poll reads the same users.
        await Task.WhenAll(_underWay.Values).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await LastPollAsync();
    }

    /// <summary>
    /// A clean stop: the broker worker has drained (it stops before the poller), so what its last calls did is at IBKR.
    /// One more read of each held user's live orders records it now, in this brokerage session. The next holder opens
    /// a session of its own, whose live orders no longer list what filled or was cancelled in this one; each order it
    /// would find unlisted would have to be settled from the trades (1 read per 5 s per user).
    /// </summary>
    private async Task LastPollAsync()
    {
        using var bounded = new CancellationTokenSource(options.Value.DrainTimeout, timeProvider);
        try
        {
            // Only the users this instance held at its last read (their leases are still kept by the lease keeper): a
            // stopping instance takes no user it does not have.
            var owned = _owned;
            await Task.WhenAll(owned.Keys.Select(user => PollUserAsync(user, owned[user], timeProvider.GetUtcNow(), bounded.Token)));
            bounded.Token.ThrowIfCancellationRequested();
            LogLastPoll(owned.Count);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || bounded.IsCancellationRequested)
        {
            // What it did not read is settled by the next holder.
            LogLastPollIncomplete(exception);
        }
    }

    private async Task PollDueUsersAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (now - _usersReadAt >= _usersFreshness)
        {
            (_users, _owned) = await store.UsersToFollowAsync(cancellationToken);
            _usersReadAt = now;
        }

        var (users, owned) = (_users, _owned);

        // A user seen for the first time is given a random place in the interval, so that many users' polls (and the
        // saga updates they bring) spread over it instead of all falling on the same tick.
        foreach (var user in users.Where(u => owned.ContainsKey(u) && !_lastPolled.ContainsKey(u)))
        {
            _lastPolled.TryAdd(user, now - _interval * Random.Shared.NextDouble());
        }

        var due = users.Where(u => owned.ContainsKey(u) && _lastPolled.TryGetValue(u, out var last) && now - last >= _interval).ToList();
        foreach (var gone in _lastPolled.Keys.Except(users).ToList())
        {
            _lastPolled.TryRemove(gone, out _);
        }

        foreach (var user in due)
        {
            if (_underWay.TryGetValue(user, out var previous) && !previous.IsCompleted)
            {
                // Still stuck in its last poll (its deadline bounds it): polled again once that ends, nobody else waits.
                continue;
            }

            var started = PollUserAsync(user, owned[user], now, cancellationToken);
            if (!started.IsCompleted)
            {
                _underWay[user] = started;
                _ = started.ContinueWith(t => _underWay.TryRemove(new KeyValuePair<string, Task>(user, t)), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Polls one user under the epoch it is held with and the poll's deadline; never throws (a failed poll is logged and
    /// tried again next time).
    /// </summary>
    private async Task PollUserAsync(string user, long epoch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _lastPolled[user] = now;
        try
        {
            // A poll must end while this instance surely holds the user's lease.
            using var deadline = new CancellationTokenSource(LifecycleOptions.CallDeadline(options.Value.UserLeaseDuration), timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
            await poll.RunAsync(user, epoch, linked.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogPollFailed(exception, user);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the last poll reads the user again.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: read the live orders of {Count} user(s) a last time")]
    private partial void LogLastPoll(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down: the last read of the users' live orders did not finish; the next holder settles what it missed")]
    private partial void LogLastPollIncomplete(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the live orders of user {UserId} failed; the next poll tries again")]
    private partial void LogPollFailed(Exception exception, string userId);
}

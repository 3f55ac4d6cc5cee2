using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Configuration;
using OrderProcessor.Telemetry;

namespace OrderProcessor.Execution;

/// <summary>
/// Follows orders at IBKR: every held user with orders IBKR has that are not final has its order stream followed
/// (<see cref="IOrderStreams.Follow"/>: the guard keeps its websocket open, whose reports the stream intake writes) and
/// its live orders read over REST (<see cref="UserOrdersPoll"/>) when the <see cref="ReconcileSchedule"/> says so: every
/// <c>Lifecycle:StatusPollInterval</c> (IBKR's 1-per-5-s pacing) without a healthy stream, every
/// <c>Lifecycle:SafetyPollInterval</c> with one, and at once after a gap in the stream. A user with nothing at IBKR is
/// neither read nor followed (<see cref="IOrderStreams.Unfollow"/>). Without streams (<see cref="NoOrderStreams"/>)
/// every user is read every interval, as before the websocket. On a clean stop it reads every held user once more,
/// after the broker worker has drained.
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
    ILogger<OrderStatusPoller> logger,
    IOrderStreams? streams = null,
    ReconcileSchedule? schedule = null,
    OrderProcessorMetrics? metrics = null,
    Brokerage.Availability.IIbkrAvailability? availability = null,
    IOptions<Brokerage.Availability.MaintenanceOptions>? maintenance = null) : BackgroundService
{
    private readonly IOrderStreams _streams = streams ?? new NoOrderStreams();
    private readonly ReconcileSchedule _schedule = schedule ?? new ReconcileSchedule(options, timeProvider);

    // The users whose streams this poller follows (held, with something live at its last read of the users).
    private HashSet<string> _followed = new(StringComparer.Ordinal);

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
        if (availability is not null)
        {
            availability.Released += ReadAfterWindow;
        }

        try
        {
            await PollUntilStoppedAsync(stoppingToken);
        }
        finally
        {
            if (availability is not null)
            {
                availability.Released -= ReadAfterWindow;
            }
        }
    }

    /// <summary>
    /// IBKR is back for these users: what ended during the window is read now and every poll interval for
    /// <c>Brokerage:Maintenance:ReconcileAfterWindowFor</c> (users this instance does not follow are not read).
    /// </summary>
    private void ReadAfterWindow(IReadOnlyCollection<string> users)
    {
        var until = timeProvider.GetUtcNow() + (maintenance?.Value.ReconcileAfterWindowFor ?? TimeSpan.FromMinutes(2));
        var followed = users.Where(_schedule.Knows).ToList();
        foreach (var user in followed)
        {
            _schedule.RequestAfterWindow(user, until);
        }

        LogReadAfterWindow(followed.Count, users.Count);
    }

    private async Task PollUntilStoppedAsync(CancellationToken stoppingToken)
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
            await Task.WhenAll(owned.Keys.Select(user => PollUserAsync(user, owned[user], ReconcileCause.Shutdown, timeProvider.GetUtcNow(), bounded.Token)));
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
            FollowStreams(_users, _owned);
        }

        var (users, owned) = (_users, _owned);

        // A user seen for the first time is given a random place in the interval, so that many users' polls (and the
        // saga updates they bring) spread over it instead of all falling on the same tick.
        foreach (var user in users.Where(u => owned.ContainsKey(u) && !_schedule.Knows(u)))
        {
            _schedule.Polled(user, now - _interval * Random.Shared.NextDouble());
        }

        var due = users.Where(owned.ContainsKey).Select(u => (User: u, Due: _schedule.IsDue(u, _streams.StateOf(u), now)))
            .Where(u => u.Due.Due).ToList();
        foreach (var (user, (_, cause)) in due)
        {
            if (_underWay.TryGetValue(user, out var previous) && !previous.IsCompleted)
            {
                // Still stuck in its last poll (its deadline bounds it): polled again once that ends, nobody else waits.
                continue;
            }

            var started = PollUserAsync(user, owned[user], cause, now, cancellationToken);
            if (!started.IsCompleted)
            {
                _underWay[user] = started;
                _ = started.ContinueWith(t => _underWay.TryRemove(new KeyValuePair<string, Task>(user, t)), CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Keeps the streams of the held users with something live open (under the epoch they are held with), and lets the
    /// others' close; a user no longer followed is forgotten by the schedule (seen again, it gets a new place).
    /// </summary>
    private void FollowStreams(IReadOnlyList<string> users, IReadOnlyDictionary<string, long> owned)
    {
        var followed = new HashSet<string>(users.Where(owned.ContainsKey), StringComparer.Ordinal);
        foreach (var user in followed)
        {
            _streams.Follow(user, owned[user]);
        }

        foreach (var gone in _followed.Where(u => !followed.Contains(u)))
        {
            _streams.Unfollow(gone);
            _schedule.Forget(gone);
        }

        _followed = followed;
    }

    /// <summary>
    /// Polls one user under the epoch it is held with and the poll's deadline; never throws (a failed poll is logged and
    /// tried again next time).
    /// </summary>
    private async Task PollUserAsync(string user, long epoch, ReconcileCause cause, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Recorded here too: a read that fails is tried again after an interval, not on the next tick.
        _schedule.Polled(user, now);
        metrics?.Reconciled(cause);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR is available again for {Released} user(s): the live orders of the {Followed} followed here are read now and for a while at the poll interval")]
    private partial void LogReadAfterWindow(int followed, int released);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: read the live orders of {Count} user(s) a last time")]
    private partial void LogLastPoll(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutting down: the last read of the users' live orders did not finish; the next holder settles what it missed")]
    private partial void LogLastPollIncomplete(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the live orders of user {UserId} failed; the next poll tries again")]
    private partial void LogPollFailed(Exception exception, string userId);
}

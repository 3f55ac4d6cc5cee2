using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Configuration;

namespace OrderProcessor.Execution;

/// <summary>
/// When each user's live orders are read over REST: at once after a requested cause (a gap in the stream, a new
/// socket), every <c>Lifecycle:StatusPollInterval</c> while the user has no healthy stream (or the last read left
/// followed orders unlisted), and every <c>Lifecycle:SafetyPollInterval</c> while it has. Pure bookkeeping, no I/O, no
/// timers; used by the poller and the simulation. Thread-safe.
/// </summary>
public sealed class ReconcileSchedule(IOptions<LifecycleOptions> options, TimeProvider timeProvider)
{
    private readonly TimeSpan _pollInterval = options.Value.StatusPollInterval;
    private readonly TimeSpan _safetyInterval = options.Value.SafetyPollInterval;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, UserReads> _users = new(StringComparer.Ordinal);

    public TimeProvider Time => timeProvider;

    /// <summary>Asks for a read of the user's live orders at the next chance: one that begins after now.</summary>
    public void Request(string userId, ReconcileCause cause)
    {
        var at = timeProvider.GetUtcNow();
        lock (_sync)
        {
            // The latest request: a read that began between an earlier request and this one does not satisfy this one.
            Of(userId).Requested = (cause, at);
        }
    }

    /// <summary>
    /// IBKR is back for the user after a maintenance window or an outage: its live orders are read at once and then every
    /// <c>Lifecycle:StatusPollInterval</c> until <paramref name="until"/>, whatever the stream says (orders that ended
    /// during the window are settled from these reads and the trades).
    /// </summary>
    public void RequestAfterWindow(string userId, DateTimeOffset until)
    {
        var at = timeProvider.GetUtcNow();
        lock (_sync)
        {
            var reads = Of(userId);
            reads.Requested = (ReconcileCause.MaintenanceEnded, at);
            reads.AfterWindowUntil = reads.AfterWindowUntil is { } later && later > until ? later : until;
        }
    }

    /// <summary>Whether the user is due for a read, and why.</summary>
    public (bool Due, ReconcileCause Cause) IsDue(string userId, OrderStreamState stream, DateTimeOffset now)
    {
        var streaming = stream == OrderStreamState.Streaming;
        lock (_sync)
        {
            if (!_users.TryGetValue(userId, out var reads))
            {
                return (true, streaming ? ReconcileCause.SafetyInterval : ReconcileCause.PollingOnly);
            }

            if (reads.Requested is { } requested)
            {
                return (true, requested.Cause);
            }

            if (reads.Unanswered is { } unanswered && reads.LastRead is { } tried && now - tried >= _pollInterval)
            {
                // The read that took the request failed (429, session lost, no answer): tried again at the poll interval,
                // not left to the safety interval while the stream may have missed something.
                return (true, unanswered.Cause);
            }

            if (reads.AfterWindowUntil is { } afterWindow && now < afterWindow)
            {
                return (reads.LastRead is not { } read || now - read >= _pollInterval, ReconcileCause.MaintenanceEnded);
            }

            var (interval, cause) = !streaming ? (_pollInterval, ReconcileCause.PollingOnly)
                : reads.Unlisted > 0 ? (_pollInterval, ReconcileCause.Unlisted)
                : (_safetyInterval, ReconcileCause.SafetyInterval);
            return (reads.LastRead is not { } last || now - last >= interval, cause);
        }
    }

    /// <summary>A read of the user's live orders began at <paramref name="at"/> (it satisfies every request made before).</summary>
    public void Polled(string userId, DateTimeOffset at)
    {
        lock (_sync)
        {
            var reads = Of(userId);
            reads.LastRead = reads.LastRead is { } last && last > at ? last : at;
            if (reads.Requested is { } requested && requested.At <= at)
            {
                // Satisfied once the read answers (Answered); until then it is tried again at the poll interval.
                reads.Requested = null;
                reads.Unanswered = requested;
            }
        }
    }

    /// <summary>The read of the user's live orders that began at <paramref name="began"/> answered.</summary>
    public void Answered(string userId, DateTimeOffset began)
    {
        lock (_sync)
        {
            if (_users.TryGetValue(userId, out var reads) && reads.Unanswered is { } unanswered && unanswered.At <= began)
            {
                reads.Unanswered = null;
                if (reads.Forgotten && reads.Requested is null)
                {
                    // The read kept past the unfollow is made: forgotten now, as Forget would have (seen again, a new phase).
                    _users.Remove(userId);
                }
            }
        }
    }

    /// <summary>The last read left <paramref name="count"/> followed orders unlisted (0: none).</summary>
    public void Unlisted(string userId, int count)
    {
        lock (_sync)
        {
            if (_users.TryGetValue(userId, out var reads))
            {
                reads.Unlisted = count;
            }
        }
    }

    /// <summary>Whether a read of the user was ever recorded or requested (since it was last forgotten).</summary>
    public bool Knows(string userId)
    {
        lock (_sync)
        {
            return _users.ContainsKey(userId);
        }
    }

    /// <summary>
    /// The user is no longer followed by this instance: seen again, it gets a new place in the interval. Not a read
    /// requested and not yet answered: a user is unfollowed when nothing of it is live, which includes an order still
    /// being sent, and its socket stays open a while; the read its subscription asked for is then made as soon as it is
    /// followed again. Forgotten with it, the user was placed anew and, streaming, read at the safety interval: a fill
    /// only that read could report (the order filled before <c>sor</c> was subscribed, which it does not replay) came
    /// 55-60 s late in the benchmark.
    /// </summary>
    public void Forget(string userId)
    {
        lock (_sync)
        {
            if (!_users.TryGetValue(userId, out var reads))
            {
                return;
            }

            if (reads.Requested is null && reads.Unanswered is null)
            {
                _users.Remove(userId);
            }
            else
            {
                // Kept for the read; forgotten once it is answered (Answered), so a user never followed again is not kept.
                reads.Forgotten = true;
            }
        }
    }

    private UserReads Of(string userId)
    {
        if (!_users.TryGetValue(userId, out var reads))
        {
            reads = _users[userId] = new UserReads();
        }

        return reads;
    }

    private sealed class UserReads
    {
        public DateTimeOffset? LastRead { get; set; }

        public (ReconcileCause Cause, DateTimeOffset At)? Requested { get; set; }

        // A request a read has taken but not yet answered.
        public (ReconcileCause Cause, DateTimeOffset At)? Unanswered { get; set; }

        public int Unlisted { get; set; }

        // Read at the poll interval until then: IBKR came back after a window (ReconcileCause.MaintenanceEnded).
        public DateTimeOffset? AfterWindowUntil { get; set; }

        // No longer followed, kept only for a read requested or taken and not answered (Forget).
        public bool Forgotten { get; set; }
    }
}

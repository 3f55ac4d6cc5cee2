using OrderProcessor.Brokerage.Streaming;

namespace OrderProcessor.LifecycleSimulation.Checks;

/// <summary>
/// An independent account of when one incarnation must read a user's live orders over REST, checked at every tick of
/// its poller against what the real <c>ReconcileSchedule</c> decided: after a gap in the stream, a read that began
/// after the gap (and, if it failed, another within <c>StatusPollInterval</c>); without a healthy stream, a read every
/// <c>StatusPollInterval</c>; with one, every <c>SafetyPollInterval</c>.
/// </summary>
public sealed class ReadLiveness(TimeSpan pollInterval, TimeSpan safetyInterval)
{
    private readonly Dictionary<string, UserReads> _users = new(StringComparer.Ordinal);

    /// <summary>A read of the user began (a poll or the read before subscribing); told when it succeeded.</summary>
    public void Asked(string userId, DateTimeOffset at, Task read)
    {
        var reads = Of(userId, at);
        reads.LastAsked = at;
        _ = read.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully && reads.Gap is { } gap && at >= gap)
            {
                reads.GapRead = true;
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The stream may have missed something since the gap.</summary>
    public void Gap(StreamGap gap)
    {
        if (gap.Cause == StreamGapCause.Closed)
        {
            return;
        }

        var reads = Of(gap.UserId, gap.At);
        reads.Gap = gap.At;
        reads.GapCause = gap.Cause;
        reads.GapRead = false;
    }

    /// <summary>The user is no longer followed here: seen again, it starts afresh.</summary>
    public void Forget(string userId) => _users.Remove(userId);

    /// <summary>Why the user must be read now, or null when it need not.</summary>
    public string? MustRead(string userId, OrderStreamState stream, DateTimeOffset now)
    {
        var reads = Of(userId, now);
        var since = now - reads.LastAsked;
        if (reads.Gap is { } gap && !reads.GapRead && (reads.LastAsked < gap || since >= pollInterval))
        {
            return $"a gap ({reads.GapCause}) at {gap:HH:mm:ss.f} not read since (last read asked {reads.LastAsked:HH:mm:ss.f})";
        }

        if (stream != OrderStreamState.Streaming && since >= pollInterval)
        {
            return $"{stream} and not read since {reads.LastAsked:HH:mm:ss.f}";
        }

        return stream == OrderStreamState.Streaming && since >= safetyInterval ? $"streaming and not read since {reads.LastAsked:HH:mm:ss.f}" : null;
    }

    private UserReads Of(string userId, DateTimeOffset now)
    {
        if (!_users.TryGetValue(userId, out var reads))
        {
            reads = _users[userId] = new UserReads { LastAsked = now - pollInterval };
        }

        return reads;
    }

    private sealed class UserReads
    {
        public DateTimeOffset LastAsked { get; set; }

        public DateTimeOffset? Gap { get; set; }

        public StreamGapCause GapCause { get; set; }

        public bool GapRead { get; set; }
    }
}

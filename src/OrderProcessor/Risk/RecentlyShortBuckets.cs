using System.Collections.Concurrent;

namespace OrderProcessor.Risk;

/// <summary>
/// The rate buckets a spend found short in the last second, in this instance. A first attempt normally spends with its
/// save (<see cref="RateBuckets.SpendWithTheSave"/>): cheap when the bucket pays, but when it is short the save is
/// thrown away and the command decided again, a second transaction and a retry warning for each refused order. While an
/// account or a user floods past its limit, its next orders spend first instead (<see cref="RateBuckets.TrySpendAsync"/>)
/// and are refused in one transaction. Each instance learns this on its own; a bucket refilled meanwhile only means one
/// round trip more for the order.
/// </summary>
public sealed class RecentlyShortBuckets
{
    /// <summary>How long after a refusal a bucket's spenders spend first.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    // Forgotten when asked after their window, and swept when this many are kept (accounts refused once and never again).
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<(string Scope, string Key), DateTimeOffset> _shortUntil = new();

    /// <summary>Notes that <paramref name="bucket"/> was short at <paramref name="now"/>.</summary>
    public void Refused(RateBucket bucket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        _shortUntil[(bucket.Scope, bucket.ScopeKey)] = now + Window;
        if (_shortUntil.Count > SweepAbove)
        {
            foreach (var (key, until) in _shortUntil)
            {
                if (until <= now)
                {
                    _shortUntil.TryRemove(KeyValuePair.Create(key, until));
                }
            }
        }
    }

    /// <summary>Whether the scope (account or user) of any of <paramref name="buckets"/> had a short bucket within the window.</summary>
    public bool AnyShort(IReadOnlyList<RateBucket> buckets, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        if (_shortUntil.IsEmpty)
        {
            return false;
        }

        foreach (var bucket in buckets)
        {
            if (_shortUntil.TryGetValue((bucket.Scope, bucket.ScopeKey), out var until))
            {
                if (until > now)
                {
                    return true;
                }

                _shortUntil.TryRemove(KeyValuePair.Create((bucket.Scope, bucket.ScopeKey), until));
            }
        }

        return false;
    }
}

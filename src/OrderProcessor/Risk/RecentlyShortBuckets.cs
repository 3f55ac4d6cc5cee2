using System.Collections.Concurrent;

namespace OrderProcessor.Risk;

/// <summary>
/// The accounts and users whose rate bucket a spend found short lately, in this instance. A first attempt normally spends with its
/// save (<see cref="RateBuckets.SpendWithTheSave"/>): cheap when the bucket pays, but when it is short the save is
/// thrown away and the command decided again, a second transaction and a retry warning for each refused order. While an
/// account or a user floods past its limit, its next orders spend first instead (<see cref="RateBuckets.TrySpendAsync"/>)
/// and are refused in one transaction. Each instance learns this on its own, from the refusal of a command's retry:
/// orders of the account already waiting for its lock then still take the save's way. A bucket refilled meanwhile only
/// means one round trip more for the order.
/// </summary>
public sealed class RecentlyShortBuckets
{
    /// <summary>
    /// How long after a refusal the bucket's account or user spends first: until the bucket has refilled one token (its
    /// period over its capacity: 30 s for 2 a minute), and at least a second.
    /// </summary>
    public static TimeSpan WindowOf(RateBucket bucket)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var period = bucket.Period == RatePeriod.Second ? TimeSpan.FromSeconds(1) : TimeSpan.FromMinutes(1);
        var refill = period / Math.Max(1, bucket.Capacity);
        return refill > MinimumWindow ? refill : MinimumWindow;
    }

    /// <summary>The shortest window, for buckets that refill a token faster.</summary>
    public static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(1);

    // Forgotten when asked after their window, and swept when this many are kept (accounts refused once and never again).
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<(string Scope, string Key), DateTimeOffset> _shortUntil = new();

    /// <summary>Notes that <paramref name="bucket"/> was short at <paramref name="now"/>.</summary>
    public void Refused(RateBucket bucket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        _shortUntil[(bucket.Scope, bucket.ScopeKey)] = now + WindowOf(bucket);
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
        // TryGetValue reads without a lock (IsEmpty and Count take them all).
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

namespace OrderProcessor.Execution;

/// <summary>
/// What one take-or-renew statement granted: for each user asked for, whether this instance holds the lease now, under
/// which epoch, until when by the database's clock; and when the statement was sent (a monotonic timestamp), from which
/// the proof is counted. It is trusted only once the transaction that took it has committed.
/// </summary>
public sealed record LeaseGrant(IReadOnlyCollection<string> Asked, IReadOnlyDictionary<string, (long Epoch, DateTimeOffset ExpiresAt)> Owned, long SentAt)
{
    public bool Holds(string userId) => Owned.ContainsKey(userId);

    public long EpochOf(string userId) => Owned[userId].Epoch;
}

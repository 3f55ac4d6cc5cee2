namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// The chain heads of rows fed in ascending outbox sequence, in memory (one entry per order, one per standalone row),
/// so that the digest at any point of the feed is at hand: how a verifier checks many checkpoints in one pass.
/// </summary>
public sealed class ChainHeads
{
    private readonly SortedDictionary<string, (long OrderSequence, string Hash, long Sequence)> _chains = new(StringComparer.Ordinal);
    private readonly List<(long Sequence, string Hash)> _standalone = [];

    public long LastSequence { get; private set; }

    /// <summary>Rows fed so far.</summary>
    public long Count { get; private set; }

    public void Add(long sequence, Guid orderId, long orderSequence, string hash)
    {
        LastSequence = Math.Max(LastSequence, sequence);
        Count++;
        if (orderSequence == 0)
        {
            _standalone.Add((sequence, hash));
            return;
        }

        var id = orderId.ToString("D");
        // The head is the row with the highest order sequence (a reordered row does not become the head).
        if (!_chains.TryGetValue(id, out var head) || orderSequence > head.OrderSequence)
        {
            _chains[id] = (orderSequence, hash, sequence);
        }
    }

    /// <summary>
    /// The heads (and standalone rows) written after outbox sequence <paramref name="after"/>: after a checkpoint at
    /// <paramref name="after"/> held, a rewrite that makes a later one fail changed one of these, since a rewritten
    /// row's order has its head at or past the row.
    /// </summary>
    public IReadOnlyList<CheckpointSuspect> WrittenAfter(long after, int max)
    {
        var chains = _chains.Where(c => c.Value.Sequence > after)
            .Select(c => new CheckpointSuspect(Guid.ParseExact(c.Key, "D"), c.Value.OrderSequence, c.Value.Sequence));
        var standalone = _standalone.Where(s => s.Sequence > after).Select(s => new CheckpointSuspect(Guid.Empty, 0, s.Sequence));
        return chains.Concat(standalone).OrderBy(s => s.OutboxSequence).Take(max).ToList();
    }

    public CheckpointDigest.Result Digest()
    {
        using var digest = new CheckpointDigest();
        foreach (var (id, head) in _chains)
        {
            digest.AddChain(Guid.ParseExact(id, "D"), head.OrderSequence, head.Hash);
        }

        foreach (var (sequence, hash) in _standalone.OrderBy(s => s.Sequence))
        {
            digest.AddStandalone(sequence, hash);
        }

        return digest.Complete();
    }
}

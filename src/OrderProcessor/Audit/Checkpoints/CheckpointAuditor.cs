using System.Globalization;
using OrderProcessor.Persistence;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// Verifies signed checkpoints against outbox rows: each signature with the auditor's public key, then, in one pass over
/// the rows in ascending outbox sequence, the digest of the chain heads up to each checkpoint's sequence. The rows'
/// own hashes are checked by <see cref="AuditVerifier"/>; together, a rewritten row with recomputed hashes is caught
/// here even though its chain is consistent.
/// </summary>
public static class CheckpointAuditor
{
    /// <summary>Suspect heads named for a failing checkpoint (the rest are counted in its description).</summary>
    public const int MaxSuspects = 50;

    /// <summary>Back-dated rows listed (all are counted).</summary>
    public const int MaxBackdated = 1000;

    /// <summary>
    /// How far a row's <c>created_at</c> may lie before the <c>takenAt</c> of a checkpoint it comes after without being
    /// called back-dated: a row's time is set before its transaction commits (a checkpoint waits for the writers in
    /// flight, so a row committed just before it can be older than it by as long as its transaction was open), and
    /// the processors' and the checkpointer's clocks may differ a little. docs/audit.md, "Back-dated rows".
    /// </summary>
    public static readonly TimeSpan DefaultBackdateTolerance = TimeSpan.FromMinutes(5);

    public static async Task<CheckpointReport> VerifyAsync(IReadOnlyList<AuditCheckpoint> checkpoints, CheckpointVerifyingKey key,
        IAsyncEnumerable<OutboxMessage> rowsBySequence, CancellationToken cancellationToken, TimeSpan? backdateTolerance = null)
    {
        var tolerance = backdateTolerance ?? DefaultBackdateTolerance;
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(rowsBySequence);
        var pending = new Queue<AuditCheckpoint>();
        var checks = new List<CheckpointCheck>();
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Sequence).ThenBy(c => c.TakenAt, StringComparer.Ordinal))
        {
            if (SignatureProblem(checkpoint, key) is { } problem)
            {
                checks.Add(new CheckpointCheck(checkpoint, problem.Failure, problem.Description, null, 0, 0));
            }
            else
            {
                pending.Enqueue(checkpoint);
            }
        }

        var heads = new ChainHeads();
        var rows = 0L;
        long? lastHeld = null;
        (long Rows, CheckpointDigest.Result? Digest) cache = (0, null);
        // The latest takenAt of the signature-valid checkpoints passed so far (whose sequence is below the next row's).
        (DateTimeOffset Time, AuditCheckpoint Checkpoint)? latest = null;
        var backdated = new List<BackdatedRow>();
        var backdatedCount = 0L;

        void CompareNext()
        {
            var next = pending.Dequeue();
            if (TakenAt(next) is { } taken && (latest is null || taken > latest.Value.Time))
            {
                latest = (taken, next);
            }

            var check = Compare(next, heads, lastHeld, ref cache);
            if (check.Holds)
            {
                lastHeld = check.Checkpoint.Sequence;
            }

            checks.Add(check);
        }

        await foreach (var row in rowsBySequence.WithCancellation(cancellationToken))
        {
            if (row.Sequence <= heads.LastSequence)
            {
                throw new InvalidOperationException($"rows must come in ascending outbox sequence: {row.Sequence} after {heads.LastSequence}");
            }

            while (pending.TryPeek(out var due) && due.Sequence < row.Sequence)
            {
                CompareNext();
            }

            if (latest is { } after && row.CreatedAt < after.Time - tolerance)
            {
                backdatedCount++;
                if (backdated.Count < MaxBackdated)
                {
                    backdated.Add(new BackdatedRow(row.Sequence, row.OrderId, row.OrderSequence, row.CreatedAt, after.Checkpoint.Sequence, after.Checkpoint.TakenAt));
                }
            }

            heads.Add(row.Sequence, row.OrderId, row.OrderSequence, row.Hash);
            rows++;
        }

        while (pending.Count > 0)
        {
            CompareNext();
        }

        return new CheckpointReport(
            checks.OrderBy(c => c.Checkpoint.Sequence).ThenBy(c => c.Checkpoint.TakenAt, StringComparer.Ordinal).ToList(), rows)
        {
            Backdated = backdated,
            BackdatedCount = backdatedCount,
            BackdateTolerance = tolerance,
        };
    }

    private static DateTimeOffset? TakenAt(AuditCheckpoint checkpoint) =>
        DateTimeOffset.TryParse(checkpoint.TakenAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : null;

    /// <summary>Whether the checkpoint is signed by <paramref name="key"/>: null when it is.</summary>
    public static (CheckpointFailure Failure, string Description)? SignatureProblem(AuditCheckpoint checkpoint, CheckpointVerifyingKey key)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(key);
        if (checkpoint.Version != AuditCheckpoint.CurrentVersion || checkpoint.Algorithm != AuditCheckpoint.Ed25519)
        {
            return (CheckpointFailure.WrongKey, $"version {checkpoint.Version} / algorithm {checkpoint.Algorithm} is not known to this verifier");
        }

        if (!string.Equals(checkpoint.KeyId, key.KeyId, StringComparison.Ordinal))
        {
            return (CheckpointFailure.WrongKey, $"signed by key {checkpoint.KeyId}, not by the key given ({key.KeyId})");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(checkpoint.Signature);
        }
        catch (FormatException)
        {
            return (CheckpointFailure.SignatureInvalid, "the signature is not base64");
        }

        return key.Verify(checkpoint.SignedPayloadBytes(), signature)
            ? null
            : (CheckpointFailure.SignatureInvalid, "the signature does not verify: the checkpoint was altered or forged");
    }

    private static CheckpointCheck Compare(AuditCheckpoint checkpoint, ChainHeads heads, long? lastHeld, ref (long Rows, CheckpointDigest.Result? Digest) cache)
    {
        // Checkpoints of an idle outbox repeat the same rows: the digest is computed once per position in the feed.
        if (cache.Digest is null || cache.Rows != heads.Count)
        {
            cache = (heads.Count, heads.Digest());
        }

        var actual = cache.Digest;
        if (string.Equals(actual.Digest, checkpoint.Digest, StringComparison.Ordinal))
        {
            return new CheckpointCheck(checkpoint, null, null, actual.Digest, actual.Chains, actual.Standalone);
        }

        var hints = new List<string>();
        if (actual.Chains != checkpoint.Chains)
        {
            hints.Add($"{actual.Chains} order chains where {checkpoint.Chains} were signed");
        }

        if (actual.Standalone != checkpoint.Standalone)
        {
            hints.Add($"{actual.Standalone} standalone rows where {checkpoint.Standalone} were signed");
        }

        if (heads.LastSequence < checkpoint.Sequence)
        {
            hints.Add($"the outbox ends at sequence {heads.LastSequence}, before the checkpoint's");
        }

        var suspects = lastHeld is { } after && after < checkpoint.Sequence ? heads.WrittenAfter(after, MaxSuspects + 1) : [];
        if (suspects.Count > 0)
        {
            var named = string.Join(", ", suspects.Take(MaxSuspects).Select(s => s.OrderSequence == 0
                ? $"standalone row {s.OutboxSequence}"
                : $"order {s.OrderId} (head #{s.OrderSequence}, row {s.OutboxSequence})"));
            hints.Add($"the checkpoint at {lastHeld} holds, so a row rewritten in place belongs to a chain whose head was written since: {named}{(suspects.Count > MaxSuspects ? " and more" : string.Empty)}"
                + " (a removed or inserted row's chain may not be among them)");
        }

        var description = "the chain heads up to this sequence no longer give the signed digest: rows up to it were rewritten, removed or added"
            + (hints.Count > 0 ? " (" + string.Join("; ", hints) + ")" : string.Empty);
        return new CheckpointCheck(checkpoint, CheckpointFailure.DigestMismatch, description, actual.Digest, actual.Chains, actual.Standalone)
        {
            Suspects = suspects.Take(MaxSuspects).ToList(),
            SuspectsAfter = suspects.Count > 0 ? lastHeld : null,
        };
    }
}

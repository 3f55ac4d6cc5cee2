namespace OrderProcessor.Audit.Checkpoints;

/// <summary>Every checkpoint verified against the rows, in ascending sequence.</summary>
public sealed record CheckpointReport(IReadOnlyList<CheckpointCheck> Checks, long RowsRead)
{
    /// <summary>Why checkpoints that were asked for but not found do not hold: a wrong path must not pass for intact.</summary>
    public const string NoCheckpointReason =
        "no checkpoint found in the file(s) given: nothing signed to check the database against (a wrong path, or checkpoints are not being written)";

    /// <summary>Rows after a checkpoint dated well before it (at most <see cref="CheckpointAuditor.MaxBackdated"/>; <see cref="BackdatedCount"/> counts all).</summary>
    public IReadOnlyList<BackdatedRow> Backdated { get; init; } = [];

    public long BackdatedCount { get; init; }

    /// <summary>The tolerance <see cref="Backdated"/> was found with.</summary>
    public TimeSpan BackdateTolerance { get; init; } = CheckpointAuditor.DefaultBackdateTolerance;

    /// <summary>Every checkpoint holds, there is at least one, and no row after one is dated well before it.</summary>
    public bool IsIntact => Checks.Count > 0 && Checks.All(c => c.Holds) && BackdatedCount == 0;

    /// <summary>Why the checkpoints as a whole do not hold when no single one fails (none found); null otherwise.</summary>
    public string? Reason => Checks.Count == 0 ? NoCheckpointReason : null;

    public IEnumerable<CheckpointCheck> Failures => Checks.Where(c => !c.Holds);

    /// <summary>The last checkpoint that holds before the first that fails: history up to it is as signed.</summary>
    public CheckpointCheck? LastHoldingBeforeFirstFailure => Checks.TakeWhile(c => c.Holds).LastOrDefault();
}

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>Every checkpoint verified against the rows, in ascending sequence.</summary>
public sealed record CheckpointReport(IReadOnlyList<CheckpointCheck> Checks, long RowsRead)
{
    public bool IsIntact => Checks.All(c => c.Holds);

    public IEnumerable<CheckpointCheck> Failures => Checks.Where(c => !c.Holds);

    /// <summary>The last checkpoint that holds before the first that fails: history up to it is as signed.</summary>
    public CheckpointCheck? LastHoldingBeforeFirstFailure => Checks.TakeWhile(c => c.Holds).LastOrDefault();
}

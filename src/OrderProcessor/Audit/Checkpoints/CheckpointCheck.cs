namespace OrderProcessor.Audit.Checkpoints;

/// <summary>One checkpoint as verified: null <see cref="Failure"/> when it holds; what the database gives at its sequence.</summary>
public sealed record CheckpointCheck(
    AuditCheckpoint Checkpoint,
    CheckpointFailure? Failure,
    string? Description,
    string? ActualDigest,
    long ActualChains,
    long ActualStandalone)
{
    /// <summary>For a digest that fails after a checkpoint that held: the heads written since (at most <see cref="CheckpointAuditor.MaxSuspects"/>).</summary>
    public IReadOnlyList<CheckpointSuspect> Suspects { get; init; } = [];

    /// <summary>The sequence of that last checkpoint that held, when <see cref="Suspects"/> are named.</summary>
    public long? SuspectsAfter { get; init; }

    public bool Holds => Failure is null;
}

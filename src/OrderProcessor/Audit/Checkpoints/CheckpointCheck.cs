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
    public bool Holds => Failure is null;
}

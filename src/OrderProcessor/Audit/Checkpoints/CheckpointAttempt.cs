namespace OrderProcessor.Audit.Checkpoints;

/// <summary>One try at a checkpoint: the checkpoint taken, or why none was.</summary>
public sealed record CheckpointAttempt(AuditCheckpoint? Checkpoint, CheckpointSkip? Skip)
{
    public static CheckpointAttempt Taken(AuditCheckpoint checkpoint) => new(checkpoint, null);

    public static CheckpointAttempt Skipped(CheckpointSkip skip) => new(null, skip);
}

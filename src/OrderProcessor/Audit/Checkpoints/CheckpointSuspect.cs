namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// A chain head (or standalone row, order sequence 0) written between the last checkpoint that holds and one that
/// fails: the rewrite that made it fail changed one of these.
/// </summary>
public sealed record CheckpointSuspect(Guid OrderId, long OrderSequence, long OutboxSequence);

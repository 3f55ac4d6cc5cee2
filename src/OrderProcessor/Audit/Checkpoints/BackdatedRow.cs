namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// A row that comes after a checkpoint (a higher outbox sequence) but says it was created well before that checkpoint
/// was taken: a row inserted later with an old <c>created_at</c>, which the next checkpoint then signed as it found it.
/// </summary>
public sealed record BackdatedRow(long OutboxSequence, Guid OrderId, long OrderSequence, DateTimeOffset CreatedAt, long CheckpointSequence, string CheckpointTakenAt);

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// A chain head (or standalone row, order sequence 0) written between the last checkpoint that holds and one that
/// fails: the rewrite that made it fail changed one of these.
/// </summary>
/// <remarks>See <see cref="Covers"/>: a removed or inserted row can escape.</remarks>
public sealed record CheckpointSuspect(Guid OrderId, long OrderSequence, long OutboxSequence)
{
    /// <summary>What the suspects cover, said with them (JSON <c>suspectsCover</c>).</summary>
    public const string Covers =
        "rows rewritten in place only: a chain with a row removed (or inserted) below the failing checkpoint can have its head before suspectsAfter and is then not named";
}

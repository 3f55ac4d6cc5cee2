namespace OrderProcessor.Persistence;

/// <summary>
/// When an outbox event was published (table <c>outbox_published</c>, written once, in the relay's transaction that
/// takes the event off <see cref="OutboxPending"/>).
/// </summary>
public sealed class OutboxPublished
{
    /// <summary>The event's <see cref="OutboxMessage.Sequence"/>.</summary>
    public long Sequence { get; set; }

    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>Publishes it took, this one included.</summary>
    public int Attempts { get; set; }
}

namespace OrderProcessor.Persistence;

/// <summary>
/// An outbox event the relay has still to publish (table <c>outbox_pending</c>): the relay's work list, small because a
/// row leaves it when its event is published. A trigger on <c>outbox_messages</c> adds the row in the event's own
/// insert, so no event can be written without it, whoever writes the event.
/// </summary>
public sealed class OutboxPending
{
    /// <summary>The event's <see cref="OutboxMessage.Sequence"/>.</summary>
    public long Sequence { get; set; }

    /// <summary>The event's order: each order's events leave one at a time, in sequence.</summary>
    public Guid OrderId { get; set; }

    /// <summary>Failed publishes so far (back to 0 when an operator retries a parked row).</summary>
    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>Not before this time, after a failed publish (backoff).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>
    /// When the relay set the event aside because it cannot be published as it is (see <see cref="Outbox.OutboxParking"/>):
    /// the relay no longer takes it, and the later events of its order wait behind it, until an operator retries it
    /// (<c>orders outbox retry</c>).
    /// </summary>
    public DateTimeOffset? ParkedAt { get; set; }

    /// <summary>Why the row was parked, for the operator.</summary>
    public string? ParkReason { get; set; }
}

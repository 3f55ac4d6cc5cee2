namespace OrderProcessor.Persistence;

/// <summary>
/// One event leaving the processor (table <c>outbox_messages</c>), written in the same transaction as the saga change
/// that caused it, published by the relay and never deleted. <see cref="Hash"/> chains it to the previous event of the
/// same order (see <see cref="Outbox.OutboxHash"/>).
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Global order of writing (bigserial).</summary>
    public long Sequence { get; set; }

    /// <summary>The MassTransit message id the event is published with, every time.</summary>
    public Guid MessageId { get; set; }

    public Guid OrderId { get; set; }

    /// <summary>1, 2, 3... per order; 0 for a rejection of a command that named no usable order id.</summary>
    public long OrderSequence { get; set; }

    /// <summary>The contract type name, e.g. <c>OrderAccepted</c>.</summary>
    public string MessageType { get; set; } = string.Empty;

    /// <summary>The event as JSON, byte for byte what the hash covers.</summary>
    public string Body { get; set; } = string.Empty;

    public Guid CorrelationId { get; set; }
    public Guid CausationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>Not before this time, after a failed publish (backoff).</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>
    /// When the relay set the row aside because it cannot be published as it is (see <see cref="Outbox.OutboxParking"/>):
    /// the relay no longer takes it, and the later events of its order wait behind it, until an operator retries it
    /// (<c>orders outbox retry</c>). Not part of the hash: parking never changes what the event was.
    /// </summary>
    public DateTimeOffset? ParkedAt { get; set; }

    /// <summary>Why the row was parked, for the operator.</summary>
    public string? ParkReason { get; set; }

    /// <summary>Where the relay also sends the event as a response, for a command that was sent as a request.</summary>
    public string? ResponseAddress { get; set; }

    /// <summary>The request id of that response.</summary>
    public Guid? RequestId { get; set; }

    /// <summary>W3C trace parent the relay publishes the event under (the trace of the order's command).</summary>
    public string? TraceParent { get; set; }

    public string? PreviousHash { get; set; }
    public string Hash { get; set; } = string.Empty;
}

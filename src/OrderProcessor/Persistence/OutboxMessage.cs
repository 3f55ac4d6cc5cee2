namespace OrderProcessor.Persistence;

/// <summary>
/// One event leaving the processor (table <c>outbox_messages</c>), written in the same transaction as the saga change
/// that caused it, published by the relay and never deleted. <see cref="Hash"/> chains it to the previous event of the
/// same order (see <see cref="Outbox.OutboxHash"/>). The row is never updated either: what the relay does with it lives
/// beside it, in <see cref="Pending"/> until it is published and in <see cref="Published"/> after, so publishing writes
/// two small rows instead of a new version of this one and its four index entries.
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
    /// <summary>Where the relay also sends the event as a response, for a command that was sent as a request.</summary>
    public string? ResponseAddress { get; set; }

    /// <summary>The request id of that response.</summary>
    public Guid? RequestId { get; set; }

    /// <summary>W3C trace parent the relay publishes the event under (the trace of the order's command).</summary>
    public string? TraceParent { get; set; }

    public string? PreviousHash { get; set; }
    public string Hash { get; set; } = string.Empty;

    /// <summary>The relay's work on the event while it is unpublished (a database trigger adds it with the row); null once published.</summary>
    public OutboxPending? Pending { get; set; }

    /// <summary>When the event was published; null until then.</summary>
    public OutboxPublished? Published { get; set; }
}

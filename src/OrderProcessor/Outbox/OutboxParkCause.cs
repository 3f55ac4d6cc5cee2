namespace OrderProcessor.Outbox;

/// <summary>Why the relay set an outbox row aside: what an operator has to fix before retrying it.</summary>
public enum OutboxParkCause
{
    /// <summary>The message type is not an order event this version knows (written by another version, e.g. before a rollback).</summary>
    UnknownType,

    /// <summary>The body does not read as its message type.</summary>
    Unreadable,

    /// <summary>The body is over <c>Outbox:MaxBodyBytes</c>: RabbitMQ would close the channel on it.</summary>
    TooLarge,

    /// <summary>RabbitMQ refused the publish in a way retrying does not change (access refused, precondition failed).</summary>
    RefusedByBroker,

    /// <summary>The publish failed <c>Outbox:ParkAfterAttempts</c> times while the broker took other events.</summary>
    TooManyAttempts,
}

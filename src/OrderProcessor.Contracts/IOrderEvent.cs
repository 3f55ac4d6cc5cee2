namespace OrderProcessor.Contracts;

/// <summary>
/// What every order event carries. Subscribing to this interface receives every event of every order; each event is
/// also published as its own type.
/// </summary>
public interface IOrderEvent
{
    /// <summary>The order the event belongs to (the id the upstream system gave it).</summary>
    Guid OrderId { get; }

    /// <summary>1, 2, 3... per order, without gaps: a downstream system can detect a missing or repeated event.</summary>
    long Sequence { get; }

    /// <summary>When the processor recorded the event.</summary>
    DateTimeOffset OccurredAt { get; }

    /// <summary>The conversation the event belongs to (the correlation id of the command that started it).</summary>
    Guid CorrelationId { get; }

    /// <summary>The message id of the command or observation that caused the event.</summary>
    Guid CausationId { get; }
}

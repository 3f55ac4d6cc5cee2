namespace OrderProcessor.Orders;

/// <summary>What every event of one decision shares: when, and which conversation and message caused it.</summary>
/// <param name="At">The decision's time, truncated to PostgreSQL's microsecond precision so the stored row hashes the same.</param>
/// <param name="CorrelationId">The conversation.</param>
/// <param name="CausationId">The message id of the input that caused the decision.</param>
public readonly record struct EventStamp(DateTimeOffset At, Guid CorrelationId, Guid CausationId)
{
    public static EventStamp Create(DateTimeOffset at, Guid correlationId, Guid causationId) =>
        new(new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero), correlationId, causationId);
}

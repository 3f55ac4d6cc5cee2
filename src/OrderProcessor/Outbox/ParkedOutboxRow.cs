namespace OrderProcessor.Outbox;

/// <summary>A parked outbox row as an operator sees it, with how many later events of its order wait behind it.</summary>
public sealed record ParkedOutboxRow(
    long Sequence,
    Guid OrderId,
    long OrderSequence,
    string MessageType,
    DateTimeOffset ParkedAt,
    int Attempts,
    string Reason,
    int HeldBehind);

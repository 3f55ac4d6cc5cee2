namespace OrderProcessor.Audit;

/// <summary>One break of the audit trail: which row (order, order sequence, outbox sequence), what kind, and in words.</summary>
public sealed record AuditBreak(Guid OrderId, long OrderSequence, long OutboxSequence, AuditBreakKind Kind, string Description);

namespace OrderProcessor.Audit;

/// <summary>What is wrong with an outbox row, as <see cref="AuditVerifier"/> sees it.</summary>
public enum AuditBreakKind
{
    /// <summary>The stored hash does not match the row's content: the row was altered.</summary>
    HashMismatch,

    /// <summary>The row's previous hash is not the hash of the order's previous event: a row was removed, inserted or reordered before it.</summary>
    PreviousHashMismatch,

    /// <summary>The order's sequence numbers are not 1..n: events are missing (removed) or repeated.</summary>
    SequenceGap,

    /// <summary>The chain does not end where the order row says its last event is: its latest events were removed or altered.</summary>
    ChainEndMismatch,
}

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>Why a round took no checkpoint (the metric's <c>cause</c> tag, in snake case).</summary>
public enum CheckpointSkip
{
    /// <summary>Another processor holds the checkpoint lock and is taking this round's: nothing is wrong.</summary>
    AnotherProcessor,

    /// <summary>An outbox write transaction stayed open longer than <c>Audit:Checkpoints:LockTimeout</c>: signing then could leave its row out.</summary>
    WritersInFlight,
}

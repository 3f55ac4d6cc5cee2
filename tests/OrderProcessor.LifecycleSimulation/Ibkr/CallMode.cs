namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>How the model answers a call the schedule resolves.</summary>
public enum CallMode
{
    /// <summary>IBKR acts on it and the answer arrives.</summary>
    Answer,

    /// <summary>IBKR acts on it; the answer is held and delivered by a later step (or lost by a crash).</summary>
    ActThenHold,

    /// <summary>IBKR acts on it and the answer is lost: the guard reports an ambiguous outcome (a read: a transient failure).</summary>
    ActThenLose,

    /// <summary>The request never reaches IBKR (connection refused, circuit open).</summary>
    NotSent,

    /// <summary>IBKR answers 429 and the guard gives up on the call; nothing happened.</summary>
    Paced,

    /// <summary>The brokerage session is gone and could not be re-established for this call; nothing happened.</summary>
    SessionLost,

    /// <summary>A 5xx after the request left: IBKR may or may not have acted (it did not).</summary>
    ServerErrorBeforeActing,
}

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

    /// <summary>
    /// A read answered with what IBKR had when the request was sent, not when it is answered (its cache, a slow answer):
    /// live orders listing nothing of what was placed meanwhile. Other calls are answered as <see cref="Answer"/>.
    /// </summary>
    Stale,

    /// <summary>No answer now: the call stays pending and times out at its caller's deadline (a hung connection).</summary>
    Hang,
}

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>Why one socket ended; the first reason recorded wins.</summary>
internal sealed class ConnectionEnd
{
    private readonly TaskCompletionSource<EndReason> _reason = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<EndReason> Reason => _reason.Task;

    public bool IsSet => _reason.Task.IsCompleted;

    public bool TrySet(EndReason reason) => _reason.TrySetResult(reason);
}

/// <summary>A socket's end: the gap it leaves and what the loop does next.</summary>
internal enum EndReason
{
    /// <summary>Closed or failed by the server or the network: reconnect with backoff.</summary>
    Dropped,

    /// <summary>No frame within the heartbeat timeout: reconnect with backoff.</summary>
    HeartbeatMissed,

    /// <summary>Too many unparseable frames, or one too large: reconnect with backoff.</summary>
    Malformed,

    /// <summary>The session was initialised again (or is being): wait until it is ready, then reopen.</summary>
    SessionReinitialised,

    /// <summary><c>sts</c> authenticated:false: the session recovery of a 401, then reopen.</summary>
    SessionLost,

    /// <summary><c>sts</c> competing:true: handled like the REST signal.</summary>
    Competing,

    /// <summary>This process no longer holds the user's lease: no socket until it does.</summary>
    LeaseLost,

    /// <summary>The processor fell behind the queue's capacity: the stream is incomplete, reopen.</summary>
    Overflow,

    /// <summary>Unfollowed, a new lease epoch, or shutting down.</summary>
    Stopped,
}

internal static class EndReasons
{
    public static StreamGapCause GapOf(this EndReason reason) => reason switch
    {
        EndReason.Dropped or EndReason.Overflow => StreamGapCause.Dropped,
        EndReason.HeartbeatMissed => StreamGapCause.HeartbeatMissed,
        EndReason.Malformed => StreamGapCause.Malformed,
        EndReason.SessionReinitialised or EndReason.SessionLost => StreamGapCause.SessionReinitialised,
        EndReason.Competing => StreamGapCause.Competing,
        _ => StreamGapCause.Closed,
    };
}

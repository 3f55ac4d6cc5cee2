namespace OrderProcessor.Brokerage.Streaming;

/// <summary>Why a user's stream may have missed something.</summary>
public enum StreamGapCause
{
    /// <summary>Just subscribed: what changed between the read before subscribing and the subscription is unseen.</summary>
    Subscribed,

    /// <summary>The socket closed or failed.</summary>
    Dropped,

    /// <summary>No frame (heartbeat included) within <c>Brokerage:Stream:HeartbeatTimeout</c>.</summary>
    HeartbeatMissed,

    /// <summary>Frames that do not parse.</summary>
    Malformed,

    /// <summary>The brokerage session was initialised again (expiry, the nightly reset, a recovery).</summary>
    SessionReinitialised,

    /// <summary>Another platform took the session (<c>sts</c> competing, or the REST signal).</summary>
    Competing,

    /// <summary>Closed on purpose (unfollowed, lease lost, shutting down).</summary>
    Closed,

    /// <summary>IBKR went into maintenance (or an outage) for the user: the stream paused.</summary>
    Maintenance,
}

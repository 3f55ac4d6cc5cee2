namespace OrderProcessor.Brokerage.Streaming;

/// <summary>Where a user's order stream stands; only <see cref="Streaming"/> lets the processor slow its REST reads.</summary>
public enum OrderStreamState
{
    /// <summary>Nobody asked for this user's stream.</summary>
    NotFollowed,

    /// <summary>Opening: waiting for the system success frame, the read before subscribing, the subscriptions.</summary>
    Connecting,

    /// <summary><c>sor</c> and <c>str</c> subscribed and a frame seen within <c>Brokerage:Stream:HeartbeatTimeout</c>.</summary>
    Streaming,

    /// <summary>Dropped, stalled or sent garbage; in backoff before the next connect.</summary>
    Reconnecting,

    /// <summary>No socket until something changes: streams disabled, the session competing or failed, or no lease proof.</summary>
    PollingOnly,

    /// <summary>IBKR is unavailable for the user (maintenance or outage): no connect attempts until it is back.</summary>
    Paused,
}

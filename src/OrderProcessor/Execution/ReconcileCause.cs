namespace OrderProcessor.Execution;

/// <summary>Why a user's live orders are read over REST now that the websocket is the main source.</summary>
public enum ReconcileCause
{
    /// <summary>The stream is healthy; the slow safety read (<c>Lifecycle:SafetyPollInterval</c>).</summary>
    SafetyInterval,

    /// <summary>No healthy stream: read every <c>Lifecycle:StatusPollInterval</c>, as before the websocket.</summary>
    PollingOnly,

    /// <summary>A socket opened: read, then subscribe (<c>sor</c> does not replay).</summary>
    BeforeSubscribe,

    /// <summary>Just subscribed: covers what changed between that read and the subscription.</summary>
    Subscribed,

    Dropped,
    HeartbeatMissed,
    Malformed,
    SessionReinitialised,
    Competing,

    /// <summary>The instance is stopping: a last look.</summary>
    Shutdown,

    /// <summary>
    /// The last read left followed orders unlisted: they are read again every <c>Lifecycle:StatusPollInterval</c>, not
    /// at the slow safety interval, so an order that ended unseen settles after <c>UnlistedPollsBeforeSettle</c> reads
    /// as quickly as without a stream.
    /// </summary>
    Unlisted,

    /// <summary>What the stream reported could not be written (the database failed): read it again at once.</summary>
    Unwritten,

    /// <summary>
    /// The stream said an order ended without saying how much filled (a sparse delta after a frame that may have been
    /// lost): the end is written from a read, with IBKR's whole figures.
    /// </summary>
    UnconfirmedEnd,

    /// <summary>IBKR came back after a maintenance window or an outage: what ended meanwhile is read.</summary>
    MaintenanceEnded,
}

namespace OrderProcessor.Brokerage.Configuration;

/// <summary>
/// IBKR's websocket per followed user (<c>Brokerage:Stream</c>): order status and executions as they happen, with the
/// REST reads kept as reconciliation. Off, every user is followed by polling alone, exactly as before the socket.
/// </summary>
public sealed class StreamOptions
{
    /// <summary>Open a socket for each user the processor follows.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// No frame at all (IBKR's heartbeat comes about every 10 s) for this long: the socket is stalled, aborted and
    /// reopened, and the user is read over REST meanwhile.
    /// </summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(35);

    /// <summary>How often the client sends <c>tic</c> (IBKR wants one at least every minute).</summary>
    public TimeSpan TicInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the server's <c>system</c> success frame after the upgrade (nothing is sent before it).</summary>
    public TimeSpan SuccessTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First delay before reconnecting a dropped socket; doubles per failed attempt, with jitter.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between reconnect attempts (and between checks while the session is competing or failed).</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A user unfollowed (nothing live) keeps its socket this long, in case it is followed again.</summary>
    public TimeSpan IdleCloseAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Largest message accepted (fragments reassembled); a longer one is garbage and closes the socket.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>Unparseable frames tolerated on one connection before it is closed and reopened.</summary>
    public int MalformedBeforeReconnect { get; set; } = 3;

    /// <summary>
    /// Frames of one user waiting for the processor; beyond, the stream is no longer complete: the socket is reopened
    /// (a gap) rather than the receive loop waiting for the processor.
    /// </summary>
    public int ObserverQueueCapacity { get; set; } = 4096;
}

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// Judges a socket by the local time of its last frame (any frame: IBKR's heartbeat value is opaque). Thread-safe: the
/// receive loop records, the watchdog tick reads.
/// </summary>
internal sealed class HeartbeatWatchdog(TimeProvider time, TimeSpan timeout)
{
    private long _lastFrameTicks = time.GetUtcNow().UtcTicks;

    public TimeSpan Timeout => timeout;

    /// <summary>A frame arrived now.</summary>
    public void FrameSeen() => Interlocked.Exchange(ref _lastFrameTicks, time.GetUtcNow().UtcTicks);

    /// <summary>Time since the last frame (or since the watchdog started).</summary>
    public TimeSpan Age => TimeSpan.FromTicks(Math.Max(0, time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastFrameTicks)));

    /// <summary>No frame within the timeout: the socket is stalled.</summary>
    public bool IsStale => Age > timeout;
}

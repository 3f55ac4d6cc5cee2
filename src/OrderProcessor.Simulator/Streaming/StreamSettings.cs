namespace OrderProcessor.Simulator.Streaming;

/// <summary>How the simulator's IBKR websocket (<c>/v1/api/ws</c>) behaves; section <c>Simulator:Stream</c>.</summary>
public sealed class StreamSettings
{
    /// <summary>The server heartbeat <c>{"topic":"system","hb":…}</c> period, on the simulator's clock (IBKR: about 10 s).</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Wall-clock time between the upgrade and <c>{"topic":"system","success":…}</c>; client frames before it are dropped.
    /// Wall clock (not the simulator's) so that a test on a fake clock still gets its success without moving time.
    /// </summary>
    public TimeSpan SuccessDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Send the topic-less <c>{"message":"waiting for session"}</c> before the success frame, as IBKR sometimes does.</summary>
    public bool WaitingForSessionMessage { get; set; } = true;

    /// <summary>Frames go out as binary websocket messages holding UTF-8 JSON (IBKR does); false: text messages.</summary>
    public bool BinaryFrames { get; set; } = true;

    /// <summary>A frame longer than this many bytes is sent in several websocket fragments (the client must read to EndOfMessage).</summary>
    public int FragmentBytes { get; set; } = 4096;

    /// <summary>
    /// <c>orderId</c> of <c>sor</c> deltas (every frame of an order after its first) as a JSON string instead of a number,
    /// as some IBKR frames carry it. Off by default.
    /// </summary>
    public bool StringOrderIdsInDeltas { get; set; }

    /// <summary>At most this many executions in one <c>str</c> frame (a replay of a busy day spans several frames).</summary>
    public int ExecutionsPerFrame { get; set; } = 50;
}

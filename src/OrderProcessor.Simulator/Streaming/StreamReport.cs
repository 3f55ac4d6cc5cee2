namespace OrderProcessor.Simulator.Streaming;

/// <summary>What <c>GET /__sim/stream</c> answers: the sockets per user, counters, and the faults in force.</summary>
public sealed record StreamReport(
    IReadOnlyDictionary<string, StreamUserReport> Users,
    long Connects,
    long RefusedUpgrades,
    IReadOnlyDictionary<string, long> FramesByTopic,
    IReadOnlyDictionary<string, long> ClientMessagesByKind,
    long ClientFramesBeforeSuccess,
    long Tics,
    long FramesLost,
    long FramesDuplicated,
    long Drops,
    TimeSpan? DropEvery);

/// <summary>
/// One user's open sockets: how many, how many got their system success, how many are subscribed to <c>sor</c> and to
/// <c>str</c>, the topics subscribed on any of them, and the faults injected for the user.
/// </summary>
public sealed record StreamUserReport(
    int Connections,
    int Succeeded,
    int OrdersSubscribed,
    int ExecutionsSubscribed,
    IReadOnlyList<string> Subscriptions,
    StreamFaultsReport? Faults);

using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>
/// A user's websocket at IBKR, opened by one incarnation of a processor under a lease epoch: frames IBKR produced for
/// it and has not delivered (a frame staying queued across other steps is a delayed frame; the schedule delivers them
/// in any order, twice, or never). Frames are produced only once it has subscribed (<c>sor</c> does not replay the past);
/// subscribing replays the day's executions on <c>str</c>.
/// </summary>
public sealed class ModelStream
{
    public required string UserId { get; init; }

    public required long ConnectionId { get; init; }

    public required string InstanceId { get; init; }

    public required int Incarnation { get; init; }

    public required long LeaseEpoch { get; init; }

    public bool Subscribed { get; set; }

    /// <summary>Since when the socket is open but silent (no frame, no heartbeat); null while it talks.</summary>
    public DateTimeOffset? StalledSince { get; set; }

    /// <summary>Unreadable frames sent on this socket (the guard gives up on it after a few).</summary>
    public int Garbage { get; set; }

    public List<StreamFrame> Pending { get; } = [];

    /// <summary>The last values IBKR sent of each order on this socket (by IBKR order id): what a delta is computed against.</summary>
    public Dictionary<string, LiveOrder> LastSent { get; } = new(StringComparer.Ordinal);

    public override string ToString() => $"socket {ConnectionId} of {UserId} by {InstanceId} (epoch {LeaseEpoch})";
}

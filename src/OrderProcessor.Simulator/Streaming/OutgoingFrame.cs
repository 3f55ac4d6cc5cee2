using System.Net.WebSockets;

namespace OrderProcessor.Simulator.Streaming;

/// <summary>
/// One thing a connection's send loop does: send a frame (its topic counts it), or close the socket after the frames
/// queued before it. <see cref="ProducedAt"/> is on the simulator's clock (the delay fault holds a frame until then + delay).
/// </summary>
public sealed record OutgoingFrame(string Topic, ReadOnlyMemory<byte> Payload, DateTimeOffset ProducedAt)
{
    /// <summary>The frame carries orders or executions (the ones a duplicate fault repeats).</summary>
    public bool IsData => Topic is OrderStreamFrames.OrdersTopic or OrderStreamFrames.ExecutionsTopic;

    /// <summary>Set on the close marker: the status and text of the close frame.</summary>
    public WebSocketCloseStatus? CloseStatus { get; init; }

    public string? CloseText { get; init; }

    public static OutgoingFrame Close(WebSocketCloseStatus status, string text, DateTimeOffset at) =>
        new("close", ReadOnlyMemory<byte>.Empty, at) { CloseStatus = status, CloseText = text };
}

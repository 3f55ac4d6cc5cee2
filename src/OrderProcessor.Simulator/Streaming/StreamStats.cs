using System.Collections.Concurrent;

namespace OrderProcessor.Simulator.Streaming;

/// <summary>Counters of the websocket: connections, frames out by topic, client messages by kind, what faults did.</summary>
public sealed class StreamStats
{
    private readonly ConcurrentDictionary<string, long> _framesByTopic = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _clientMessagesByKind = new(StringComparer.Ordinal);
    private long _connects;
    private long _refused;
    private long _clientFramesBeforeSuccess;
    private long _framesLost;
    private long _framesDuplicated;
    private long _drops;

    public long Connects => Interlocked.Read(ref _connects);

    public long Refused => Interlocked.Read(ref _refused);

    public long ClientFramesBeforeSuccess => Interlocked.Read(ref _clientFramesBeforeSuccess);

    public long FramesLost => Interlocked.Read(ref _framesLost);

    public long FramesDuplicated => Interlocked.Read(ref _framesDuplicated);

    public long Drops => Interlocked.Read(ref _drops);

    public long Tics => _clientMessagesByKind.GetValueOrDefault(ClientMessageKinds.Tic);

    public IReadOnlyDictionary<string, long> FramesByTopic => new SortedDictionary<string, long>(_framesByTopic, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> ClientMessagesByKind => new SortedDictionary<string, long>(_clientMessagesByKind, StringComparer.Ordinal);

    public void Connected() => Interlocked.Increment(ref _connects);

    public void RefusedUpgrade() => Interlocked.Increment(ref _refused);

    public void FrameSent(string topic) => _framesByTopic.AddOrUpdate(topic, 1, (_, n) => n + 1);

    public void ClientMessage(string kind) => _clientMessagesByKind.AddOrUpdate(kind, 1, (_, n) => n + 1);

    public void ClientFrameBeforeSuccess() => Interlocked.Increment(ref _clientFramesBeforeSuccess);

    public void FrameLost() => Interlocked.Increment(ref _framesLost);

    public void FrameDuplicated() => Interlocked.Increment(ref _framesDuplicated);

    public void Dropped() => Interlocked.Increment(ref _drops);

    public void Clear()
    {
        _framesByTopic.Clear();
        _clientMessagesByKind.Clear();
        Interlocked.Exchange(ref _connects, 0);
        Interlocked.Exchange(ref _refused, 0);
        Interlocked.Exchange(ref _clientFramesBeforeSuccess, 0);
        Interlocked.Exchange(ref _framesLost, 0);
        Interlocked.Exchange(ref _framesDuplicated, 0);
        Interlocked.Exchange(ref _drops, 0);
    }
}

/// <summary>The kinds client messages are counted by.</summary>
public static class ClientMessageKinds
{
    public const string Tic = "tic";
    public const string SubscribeOrders = "sor";
    public const string UnsubscribeOrders = "uor";
    public const string SubscribeExecutions = "str";
    public const string UnsubscribeExecutions = "utr";
    public const string Other = "other";
}

using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace OrderProcessor.Simulator.Streaming;

/// <summary>
/// One client's socket: a send loop that drains a queue of frames (the only writer of the socket: heartbeats, order and
/// execution frames, faults and the close all pass through it, in order) and a receive loop that hands each complete
/// client message to the hub. Subscriptions and what was sent live here, under <see cref="Gate"/>.
/// </summary>
public sealed class OrderStreamConnection(long id, string userId, string sessionId)
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);
    private readonly Channel<OutgoingFrame> _outbox = Channel.CreateUnbounded<OutgoingFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private WebSocket? _socket;
    private int _succeeded;

    public long Id { get; } = id;

    public string UserId { get; } = userId;

    /// <summary>The brokerage session the socket was opened in: when it ends, the socket closes.</summary>
    public string SessionId { get; } = sessionId;

    /// <summary>Hold while reading or changing subscriptions, <see cref="Orders"/> and <see cref="ExecutionsSent"/>.</summary>
    public Lock Gate { get; } = new();

    /// <summary>The system success frame went out: from now on client messages count, and data may be sent.</summary>
    public bool Succeeded => Volatile.Read(ref _succeeded) == 1;

    public bool OrdersSubscribed { get; set; }

    public bool ExecutionsSubscribed { get; set; }

    public OrderDeltaTracker Orders { get; } = new();

    /// <summary>Execution ids sent on the current <c>str</c> subscription (replayed or live).</summary>
    public HashSet<string> ExecutionsSent { get; } = new(StringComparer.Ordinal);

    public ITimer? Heartbeat { get; set; }

    public void Enqueue(OutgoingFrame frame) => _outbox.Writer.TryWrite(frame);

    /// <summary>Closes the socket after the frames queued so far (nothing queued later is sent).</summary>
    public void Close(WebSocketCloseStatus status, string text, DateTimeOffset at)
    {
        _outbox.Writer.TryWrite(OutgoingFrame.Close(status, text, at));
        _outbox.Writer.TryComplete();
    }

    /// <summary>Cuts the connection without a close frame (a network drop).</summary>
    public void Abort()
    {
        _outbox.Writer.TryComplete();
        try
        {
            _socket?.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The socket ended on its own meanwhile.
        }

        _stop.Cancel();
    }

    /// <summary>Runs the socket until it closes either way.</summary>
    public async Task RunAsync(WebSocket socket, OrderStreamHub hub, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(hub);
        _socket = socket;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
        var token = linked.Token;
        var send = SendLoopAsync(socket, hub, token);
        var receive = ReceiveLoopAsync(socket, hub, token);
        var first = await Task.WhenAny(send, receive);
        if (first == receive)
        {
            // The client closed (or the connection broke): answer its close, stop sending.
            _outbox.Writer.TryComplete();
            await _stop.CancelAsync();
            await send;
            if (socket.State == WebSocketState.CloseReceived)
                await Quietly(() => socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None), hub);
        }
        else
        {
            // We closed: give the client a moment to answer, then cut.
            await Task.WhenAny(receive, Task.Delay(CloseHandshakeTimeout, CancellationToken.None));
            socket.Abort();
            await _stop.CancelAsync();
            await receive;
        }
    }

    private async Task SendLoopAsync(WebSocket socket, OrderStreamHub hub, CancellationToken token)
    {
        try
        {
            var settings = hub.Settings;
            var clock = hub.Clock;
            if (settings.WaitingForSessionMessage)
                await DeliverAsync(socket, hub, new OutgoingFrame(OrderStreamFrames.MessageTopic, OrderStreamFrames.WaitingForSession(), clock.GetUtcNow()), token);
            await Task.Delay(settings.SuccessDelay, TimeProvider.System, token);
            Volatile.Write(ref _succeeded, 1);
            // The heartbeat clock starts before the greeting goes out, so a client that saw the greeting can count on
            // it (a test on a fake clock advances time right after); heartbeats queue behind the greeting.
            hub.Succeeded(this);
            foreach (var frame in hub.Greeting(this))
                await DeliverAsync(socket, hub, frame, token);
            await foreach (var frame in _outbox.Reader.ReadAllAsync(token))
            {
                if (frame.CloseStatus is { } status)
                {
                    await socket.CloseOutputAsync(status, frame.CloseText, token);
                    return;
                }

                await HoldForDelayAsync(hub, frame, token);
                var faults = hub.FaultsOf(UserId);
                await DeliverAsync(socket, hub, frame, token);
                if (frame.IsData && faults is not null && faults.TakeDuplicate())
                {
                    hub.Stats.FrameDuplicated();
                    await DeliverAsync(socket, hub, frame, token);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            StreamLog.SocketError(hub.Logger, Id, e);
        }
    }

    /// <summary>Holds the frame until it was produced + the user's delay (simulator clock); a changed or cleared delay is re-read at once.</summary>
    private async Task HoldForDelayAsync(OrderStreamHub hub, OutgoingFrame frame, CancellationToken token)
    {
        while (hub.FaultsOf(UserId) is { } faults)
        {
            var changed = faults.Changed;
            var wait = frame.ProducedAt + faults.Delay - hub.Clock.GetUtcNow();
            if (wait <= TimeSpan.Zero)
                return;
            using var either = CancellationTokenSource.CreateLinkedTokenSource(token, changed);
            try
            {
                await Task.Delay(wait, hub.Clock, either.Token);
                return;
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                // The delay changed or was cleared: look again.
            }
        }
    }

    /// <summary>Sends one frame unless the user's socket is stalled (then it is lost), in fragments when it is long.</summary>
    private async Task DeliverAsync(WebSocket socket, OrderStreamHub hub, OutgoingFrame frame, CancellationToken token)
    {
        if (hub.FaultsOf(UserId) is { } faults && faults.IsStalled(hub.Clock.GetUtcNow()))
        {
            hub.Stats.FrameLost();
            return;
        }

        var type = hub.Settings.BinaryFrames ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        var payload = frame.Payload;
        var size = Math.Max(1, hub.Settings.FragmentBytes);
        var offset = 0;
        do
        {
            var chunk = payload.Slice(offset, Math.Min(size, payload.Length - offset));
            offset += chunk.Length;
            await socket.SendAsync(chunk, type, offset >= payload.Length, token);
        }
        while (offset < payload.Length);
        hub.Stats.FrameSent(frame.Topic);
    }

    private async Task ReceiveLoopAsync(WebSocket socket, OrderStreamHub hub, CancellationToken token)
    {
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, token);
                if (result.MessageType == WebSocketMessageType.Close)
                    return;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                    continue;
                var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                hub.OnClientMessage(this, text);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            StreamLog.SocketError(hub.Logger, Id, e);
        }
    }

    private static async Task Quietly(Func<Task> action, OrderStreamHub hub)
    {
        try
        {
            await action();
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            StreamLog.SocketError(hub.Logger, 0, e);
        }
    }
}

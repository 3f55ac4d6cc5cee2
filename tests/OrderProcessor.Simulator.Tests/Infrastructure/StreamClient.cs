using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace OrderProcessor.Simulator.Tests.Infrastructure;

/// <summary>One message the simulator's websocket sent: its type, text (UTF-8, whatever the type), and JSON when it parses.</summary>
public sealed record StreamMessage(WebSocketMessageType Type, string Text, int Fragments)
{
    public JsonElement? Json
    {
        get
        {
            try
            {
                return JsonDocument.Parse(Text).RootElement.Clone();
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public string? Topic => Json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("topic", out var t) ? t.GetString() : null;

    public bool IsHeartbeat => Topic == "system" && Json!.Value.TryGetProperty("hb", out _);

    public JsonElement Args => Json!.Value.GetProperty("args");
}

/// <summary>
/// A test's websocket client of the simulator: a background loop reads every message (to EndOfMessage) into a queue, so
/// a test waits for the next one with a timeout without cancelling a receive (which would abort the socket).
/// </summary>
public sealed class StreamClient : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);
    private readonly Channel<StreamMessage> _messages = Channel.CreateUnbounded<StreamMessage>();
    private readonly Task _reader;

    public StreamClient(WebSocket socket)
    {
        Socket = socket;
        _reader = ReadAsync();
    }

    public WebSocket Socket { get; }

    /// <summary>How the server ended the socket: its close status, or null while open or when the connection just broke.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public string? CloseText { get; private set; }

    /// <summary>The connection ended (close frame or broken).</summary>
    public bool Ended { get; private set; }

    public bool Broken { get; private set; }

    /// <summary>The next message, or null when none comes within <paramref name="timeout"/> (or the socket ended).</summary>
    public async Task<StreamMessage?> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Patience);
        try
        {
            return await _messages.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    /// <summary>The next message on <paramref name="topic"/>, skipping others (heartbeats, act, sts…); fails the test when none comes.</summary>
    public async Task<StreamMessage> NextOnAsync(string topic, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? Patience);
        while (DateTime.UtcNow < until)
        {
            var message = await NextAsync(until - DateTime.UtcNow);
            if (message is null)
                break;
            if (message.Topic == topic)
                return message;
        }

        throw new Xunit.Sdk.XunitException($"no {topic} frame within {(timeout ?? Patience).TotalSeconds} s");
    }

    /// <summary>Reads until the system success frame; returns every message before and including it.</summary>
    public async Task<IReadOnlyList<StreamMessage>> UntilSuccessAsync()
    {
        var seen = new List<StreamMessage>();
        while (true)
        {
            var message = await NextAsync() ?? throw new Xunit.Sdk.XunitException("no system success frame; got " + string.Join(" | ", seen.Select(m => m.Text)));
            seen.Add(message);
            if (message.Topic == "system" && message.Json!.Value.TryGetProperty("success", out _))
                return seen;
        }
    }

    /// <summary>Waits for system success, then subscribes to <c>sor</c> and <c>str</c> (replay of one day unless realtime only).</summary>
    public async Task SubscribeAsync(bool orders = true, bool executions = true, bool realtimeOnly = false, int days = 1)
    {
        await UntilSuccessAsync();
        if (orders)
            await SendAsync("sor+{}");
        if (executions)
            await SendAsync("str+{\"realtimeUpdatesOnly\":" + (realtimeOnly ? "true" : "false") + ",\"days\":" + days + "}");
    }

    public Task SendAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>Waits (at most <paramref name="timeout"/>) for the socket to end; true when it did.</summary>
    public async Task<bool> EndedWithinAsync(TimeSpan? timeout = null) =>
        await Task.WhenAny(_reader, Task.Delay(timeout ?? Patience)) == _reader;

    /// <summary>Every message until the socket ends (or <paramref name="timeout"/>).</summary>
    public async Task<IReadOnlyList<StreamMessage>> RestAsync(TimeSpan? timeout = null)
    {
        await EndedWithinAsync(timeout);
        var rest = new List<StreamMessage>();
        while (_messages.Reader.TryRead(out var message))
            rest.Add(message);
        return rest;
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1024];
        using var message = new MemoryStream();
        var fragments = 0;
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = result.CloseStatus;
                    CloseText = result.CloseStatusDescription;
                    if (Socket.State == WebSocketState.CloseReceived)
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                    return;
                }

                message.Write(buffer, 0, result.Count);
                fragments++;
                if (!result.EndOfMessage)
                    continue;
                _messages.Writer.TryWrite(new StreamMessage(result.MessageType, Encoding.UTF8.GetString(message.ToArray()), fragments));
                message.SetLength(0);
                fragments = 0;
            }
        }
#pragma warning disable CA1031 // any failure of the connection is "broken" for the test to assert
        catch (Exception)
#pragma warning restore CA1031
        {
            Broken = true;
        }
        finally
        {
            Ended = true;
            _messages.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
#pragma warning disable CA1031 // closing at the end of a test is best effort
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(2)));
        Socket.Abort();
        Socket.Dispose();
    }
}

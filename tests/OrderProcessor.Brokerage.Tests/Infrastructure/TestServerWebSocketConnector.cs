using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using OrderProcessor.Brokerage.Streaming;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>Opens the guard's websocket on an in-process server (the simulator), cookie included, as ClientWebSocket would.</summary>
internal sealed partial class TestServerWebSocketConnector(TestServer server) : IWebSocketConnector
{
    private int _connects;

    public int Connects => Volatile.Read(ref _connects);

    /// <summary>When each upgrade was asked for (<see cref="Stopwatch.GetTimestamp"/>), in order.</summary>
    public ConcurrentQueue<long> ConnectedAt { get; } = new();

    /// <summary>While set, every upgrade is refused with this status before it reaches the server.</summary>
    public int? RefuseWith { get; set; }

    public async Task<WebSocket> ConnectAsync(Uri uri, string sessionCookie, CancellationToken cancellationToken)
    {
        ConnectedAt.Enqueue(Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _connects);
        if (RefuseWith is { } refused)
        {
            throw new WebSocketUpgradeRefusedException(refused);
        }

        var client = server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Cookie = "api=" + sessionCookie;
        try
        {
            return await client.ConnectAsync(uri, cancellationToken);
        }
        catch (InvalidOperationException ex) when (StatusCode().Match(ex.Message) is { Success: true } status)
        {
            throw new WebSocketUpgradeRefusedException(int.Parse(status.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"status code:? '?(\d{3})")]
    private static partial Regex StatusCode();
}

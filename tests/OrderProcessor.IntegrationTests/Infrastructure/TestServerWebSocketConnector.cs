using System.Net.WebSockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using OrderProcessor.Brokerage.Streaming;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Opens the guard's websocket on the in-process simulator, cookie included, as ClientWebSocket would over the network;
/// a refused upgrade becomes <see cref="WebSocketUpgradeRefusedException"/> as the guard expects.
/// </summary>
public sealed partial class TestServerWebSocketConnector(TestServer server) : IWebSocketConnector
{
    private int _connects;

    /// <summary>Upgrades attempted so far.</summary>
    public int Connects => Volatile.Read(ref _connects);

    public async Task<WebSocket> ConnectAsync(Uri uri, string sessionCookie, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _connects);
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

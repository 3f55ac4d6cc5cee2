using System.Net.WebSockets;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// Opens IBKR's websocket. The default is <see cref="ClientWebSocket"/>; tests plug an in-process server's client
/// (<c>TestServer.CreateWebSocketClient()</c>). The URI carries the bearer token and the cookie is the session: an
/// implementation must never log either.
/// </summary>
public interface IWebSocketConnector
{
    /// <summary>
    /// Connects to <paramref name="uri"/> (ws/wss, <c>bearer_token</c> in the query) with the cookie <c>api=<paramref name="sessionCookie"/></c>.
    /// A refused upgrade throws <see cref="WebSocketUpgradeRefusedException"/> when the status is known.
    /// </summary>
    Task<WebSocket> ConnectAsync(Uri uri, string sessionCookie, CancellationToken cancellationToken);
}

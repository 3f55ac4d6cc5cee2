using System.Net.WebSockets;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>The production connector: <see cref="ClientWebSocket"/> with the session cookie; keepalive is IBKR's <c>tic</c>.</summary>
internal sealed class ClientWebSocketConnector : IWebSocketConnector
{
    public async Task<WebSocket> ConnectAsync(Uri uri, string sessionCookie, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", "api=" + sessionCookie);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
            return socket;
        }
        catch (WebSocketException) when (socket.HttpStatusCode is not 0 and not System.Net.HttpStatusCode.SwitchingProtocols)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();

            // Not the original exception: its message could carry the address, and the address carries the token.
            throw new WebSocketUpgradeRefusedException(status);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

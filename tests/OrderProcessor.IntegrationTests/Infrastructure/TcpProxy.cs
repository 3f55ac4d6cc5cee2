using System.Net;
using System.Net.Sockets;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP proxy between the processor and one server. Cutting it drops every connection and refuses new ones, as
/// a stopped server would look to the processor, without stopping the server the other test classes share.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpProxy(string targetHost, int targetPort)
    {
        (_targetHost, _targetPort) = (targetHost, targetPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _cut = true;
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                Abort(connection);
            }

            _connections.Clear();
        }
    }

    public void Restore() => _cut = false;

    private static void Abort(TcpClient connection)
    {
        try
        {
            connection.Client.LingerState = new LingerOption(true, 0);
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }

        connection.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            if (_cut)
            {
                Abort(client);
                continue;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(_targetHost, _targetPort, _stopping.Token);
            lock (_gate)
            {
                _connections.Add(client);
                _connections.Add(upstream);
            }

            await using var clientStream = client.GetStream();
            await using var upstreamStream = upstream.GetStream();
            await Task.WhenAny(clientStream.CopyToAsync(upstreamStream, _stopping.Token), upstreamStream.CopyToAsync(clientStream, _stopping.Token));
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A cut or a closed side ends the pipe.
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(client);
                _connections.Remove(upstream);
            }

            client.Dispose();
            upstream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stopping.Dispose();
    }
}

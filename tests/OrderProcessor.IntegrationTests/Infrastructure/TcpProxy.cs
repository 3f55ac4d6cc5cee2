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
    private readonly ManualResetEventSlim _thawed = new(initialState: true);
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

    /// <summary>
    /// Stops forwarding bytes on every connection without closing any (a black hole: the processor's writes are
    /// accepted and never answered) until <see cref="Thaw"/>.
    /// </summary>
    public void Freeze() => _thawed.Reset();

    public void Thaw() => _thawed.Set();

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
            await Task.WhenAny(ForwardAsync(clientStream, upstreamStream), ForwardAsync(upstreamStream, clientStream));
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

    private async Task ForwardAsync(Stream from, Stream to)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await from.ReadAsync(buffer, _stopping.Token);
            if (read == 0)
            {
                return;
            }

            while (!_thawed.IsSet)
            {
                await Task.Delay(20, _stopping.Token);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _thawed.Set();
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting;
        _stopping.Dispose();
        _thawed.Dispose();
    }
}

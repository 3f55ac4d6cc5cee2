using System.Buffers;
using System.Net.WebSockets;

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// Reads whole messages from a socket: fragments are reassembled up to a limit, and text and binary messages are both
/// UTF-8 JSON (IBKR sends binary frames). Not thread-safe: one reader per socket.
/// </summary>
internal sealed class StreamFrameReader(WebSocket socket, int maxMessageBytes) : IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);

    /// <summary>
    /// The next message (valid until the next call), or null when the server closed the socket. Throws
    /// <see cref="StreamMessageTooLargeException"/> past the limit.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                if (length >= maxMessageBytes)
                {
                    throw new StreamMessageTooLargeException(maxMessageBytes);
                }

                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxMessageBytes));
                _buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }

            var room = Math.Min(_buffer.Length, maxMessageBytes) - length;
            if (room <= 0)
            {
                throw new StreamMessageTooLargeException(maxMessageBytes);
            }

            var result = await socket.ReceiveAsync(_buffer.AsMemory(length, room), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return _buffer.AsMemory(0, length);
            }

            if (length >= maxMessageBytes)
            {
                throw new StreamMessageTooLargeException(maxMessageBytes);
            }
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>A message longer than <c>Brokerage:Stream:MaxMessageBytes</c>: garbage, the socket is reopened.</summary>
internal sealed class StreamMessageTooLargeException(int limit)
    : Exception($"A websocket message exceeded Brokerage__Stream__MaxMessageBytes ({limit} bytes).");

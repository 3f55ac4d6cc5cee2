namespace OrderProcessor.Simulator.Streaming;

/// <summary>The websocket's log messages. Never the URI (it carries the token) nor the cookie.</summary>
internal static partial class StreamLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream {ConnectionId} of user {UserId} opened")]
    public static partial void Opened(ILogger logger, long connectionId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream {ConnectionId} of user {UserId} closed")]
    public static partial void Closed(ILogger logger, long connectionId, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream upgrade of user {UserId} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string? userId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Order stream {ConnectionId} ended with a socket error")]
    public static partial void SocketError(ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream fault for user {UserId}: {Fault}")]
    public static partial void Fault(ILogger logger, string userId, string fault);

    [LoggerMessage(Level = LogLevel.Information, Message = "Order stream faults cleared")]
    public static partial void FaultsCleared(ILogger logger);
}

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>The server answered the upgrade with <see cref="StatusCode"/> instead of 101. The message names no URI.</summary>
public sealed class WebSocketUpgradeRefusedException : Exception
{
    public WebSocketUpgradeRefusedException(int statusCode)
        : base($"The websocket upgrade was answered {statusCode} instead of 101.")
    {
        StatusCode = statusCode;
    }

    public WebSocketUpgradeRefusedException()
        : this(0)
    {
    }

    public WebSocketUpgradeRefusedException(string message)
        : base(message)
    {
    }

    public WebSocketUpgradeRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int StatusCode { get; }
}

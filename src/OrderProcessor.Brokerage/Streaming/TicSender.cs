namespace OrderProcessor.Brokerage.Streaming;

/// <summary>When the client's keepalive <c>tic</c> is due (IBKR wants one at least once a minute).</summary>
internal sealed class TicSender(TimeProvider time, TimeSpan interval)
{
    public const string Message = "tic";

    private DateTimeOffset _lastSent = time.GetUtcNow();

    public int Sent { get; private set; }

    public bool IsDue => time.GetUtcNow() - _lastSent >= interval;

    public void MarkSent()
    {
        _lastSent = time.GetUtcNow();
        Sent++;
    }
}

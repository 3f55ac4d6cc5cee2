using System.Threading.Channels;

namespace OrderProcessor.Infrastructure;

/// <summary>
/// Wakes a background loop as soon as there is something for it, instead of waiting for its next poll. Signals
/// coalesce: any number of notifications before the loop looks again wake it once.
/// </summary>
public abstract class WakeSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>
    /// Returns when notified (true) or when <paramref name="timeout"/> has passed (false; the loop then looks anyway).
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _channel.Reader.ReadAsync(timeoutSource.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The poll interval elapsed: another instance may have written work, or a lease may have run out.
            return false;
        }
    }
}

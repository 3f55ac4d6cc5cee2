using OrderProcessor.Contracts;
using Spectre.Console;

namespace OrderProcessor.Cli.Infrastructure;

/// <summary>Prints one order's events from an <see cref="EventStream"/> as they arrive, until one of them ends what the command waits for.</summary>
public sealed class OrderEventFollower
{
    private readonly Guid _orderId;
    private readonly Func<IOrderEvent, bool> _ends;
    private readonly TaskCompletionSource<IOrderEvent> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OrderEventFollower(EventStream stream, Guid orderId, Func<IOrderEvent, bool> ends)
    {
        ArgumentNullException.ThrowIfNull(stream);
        (_orderId, _ends) = (orderId, ends);
        stream.Received += OnReceived;
    }

    /// <summary>The event that ended the wait, or null when <paramref name="timeout"/> passed first; throws when cancelled (Ctrl+C).</summary>
    public async Task<IOrderEvent?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var completed = await Task.WhenAny(_ended.Task, Task.Delay(timeout, cancellationToken));
        // Ctrl+C ends the delay too: interrupted (the caller exits 130), not timed out.
        cancellationToken.ThrowIfCancellationRequested();
        return completed == _ended.Task ? await _ended.Task : null;
    }

    private void OnReceived(Guid messageId, IOrderEvent orderEvent)
    {
        if (orderEvent.OrderId != _orderId)
        {
            return;
        }

        AnsiConsole.MarkupLineInterpolated($"  [grey]{orderEvent.OccurredAt:HH:mm:ss.fff}[/] #{orderEvent.Sequence} {EventText.Describe(orderEvent)}");
        if (_ends(orderEvent))
        {
            _ended.TrySetResult(orderEvent);
        }
    }
}

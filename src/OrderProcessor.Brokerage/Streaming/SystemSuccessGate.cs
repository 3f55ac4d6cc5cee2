namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// IBKR drops (silently) whatever a client sends before its <c>system</c> success frame: nothing goes out before it.
/// The receive loop opens the gate; every send asks it first.
/// </summary>
internal sealed class SystemSuccessGate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsOpen => _opened.Task.IsCompleted;

    /// <summary>Completes at the success frame.</summary>
    public Task Opened => _opened.Task;

    public void Observe(ParsedFrame frame)
    {
        if (frame is SystemSuccessFrame)
        {
            _opened.TrySetResult();
        }
    }

    /// <summary>Throws when a send is attempted before the success frame: a bug, never something to send anyway.</summary>
    public void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException("Nothing may be sent on the IBKR websocket before its system success frame.");
        }
    }
}

namespace OrderProcessor.LifecycleSimulation.World;

/// <summary>
/// Keeps every continuation of the processor's async code on the simulation's one thread, in a deterministic order:
/// awaits post their continuations here (never to the thread pool), and the world runs them after each step until
/// none is left.
/// </summary>
public sealed class SimSynchronizationContext : SynchronizationContext
{
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _posted = new();

    public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

    public override void Send(SendOrPostCallback d, object? state) => d(state);

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs posted continuations (and those they post) until none is left.</summary>
    public void Drain()
    {
        for (var guard = 0; _posted.Count > 0; guard++)
        {
            if (guard > 100_000)
            {
                throw new InvalidOperationException("continuations keep posting continuations: a loop in the processor's async code");
            }

            var (callback, state) = _posted.Dequeue();
            callback(state);
        }
    }
}

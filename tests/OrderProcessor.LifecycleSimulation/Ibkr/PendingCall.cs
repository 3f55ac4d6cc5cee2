namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>
/// A call a simulated processor made and the schedule has not resolved yet. Its answer goes to the caller's
/// incarnation only; a crashed caller never hears it, but IBKR may still act on the request (it was on the wire).
/// </summary>
public sealed class PendingCall
{
    public required long Id { get; init; }

    public required string Kind { get; init; }

    public required string InstanceId { get; init; }

    public required int Incarnation { get; init; }

    public required string UserId { get; init; }

    /// <summary>
    /// The deadline of the work or poll that made it (<c>LifecycleOptions.CallDeadline</c>). A request can reach IBKR
    /// only before it: the caller gives up then (a live caller's token is cancelled; a dead caller's connection is gone).
    /// This bounded delay is what a lease relies on, since IBKR cannot be told who holds it.
    /// </summary>
    public required DateTimeOffset Deadline { get; init; }

    /// <summary>Acts at IBKR and returns the answer (or throws what the guard would throw).</summary>
    public required Func<object?> Act { get; init; }

    /// <summary>Delivers an answer or a failure to the caller.</summary>
    public required Action<object?, Exception?> Complete { get; init; }

    /// <summary>True for calls that change IBKR's state (place, cancel, modify): a lost answer is ambiguous.</summary>
    public required bool ChangesState { get; init; }

    /// <summary>For a live-orders read: what IBKR listed when it was sent (a <see cref="CallMode.Stale"/> answer).</summary>
    public object? StaleAnswer { get; init; }

    public bool Acted { get; set; }

    public object? HeldAnswer { get; set; }

    public Exception? HeldFailure { get; set; }

    public override string ToString() => $"#{Id} {Kind} {UserId} by {InstanceId}";
}

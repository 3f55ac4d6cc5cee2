namespace OrderProcessor.Brokerage.Resilience;

/// <summary>Where one user's circuit stands.</summary>
public enum CircuitState
{
    /// <summary>Calls flow; failures are sampled.</summary>
    Closed,

    /// <summary>Calls fail fast without being sent, until the break ends.</summary>
    Open,

    /// <summary>The break ended: one trial call is let through; its outcome closes or re-opens the circuit.</summary>
    HalfOpen,
}

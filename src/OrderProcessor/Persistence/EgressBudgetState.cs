namespace OrderProcessor.Persistence;

/// <summary>
/// The 429 pause every process behind one egress IP honours (table <c>egress_budget_state</c>): written by the process
/// that saw the 429 (it then owns the one probe), read by every other on its heartbeat.
/// </summary>
public sealed class EgressBudgetState
{
    public string EgressKey { get; set; } = string.Empty;

    /// <summary>Grows with every shared pause.</summary>
    public long PauseEpoch { get; set; }

    /// <summary>When the pause ends, on the database's clock.</summary>
    public DateTimeOffset PausedUntil { get; set; }

    /// <summary>The member that saw the 429 and sends the probe.</summary>
    public Guid ProbeOwner { get; set; }

    /// <summary>When the owner's probe succeeded (the ramp started), on the database's clock; null until then.</summary>
    public DateTimeOffset? RampStartedAt { get; set; }
}

namespace OrderProcessor.Brokerage.Pacing;

/// <summary>
/// Shares the egress IP's budget and its 429 pause between every process behind that IP. The guard asks
/// <see cref="Current"/> on every pacing decision, so it must be a cheap read of state refreshed in the background (no
/// round trip per request). The default, <see cref="SingleProcessEgressBudget"/>, is one process alone; the processor
/// registers one that coordinates through PostgreSQL.
/// </summary>
public interface IEgressBudgetCoordinator
{
    /// <summary>The latest shared view: how many processes split the budget, and the shared pause and ramp.</summary>
    EgressBudgetView Current { get; }

    /// <summary>This process saw a 429 and paused the IP for <paramref name="pause"/>; every other process must pause too and leave the probe to this one.</summary>
    void TooManyRequestsSeen(TimeSpan pause);

    /// <summary>This process's probe after a pause was answered without 429: every process may start its ramp.</summary>
    void ProbeSucceeded();
}

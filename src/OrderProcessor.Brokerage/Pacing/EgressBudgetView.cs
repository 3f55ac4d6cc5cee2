namespace OrderProcessor.Brokerage.Pacing;

/// <summary>
/// What the processes behind one egress IP agreed on, in this process's monotonic clock (<see cref="TimeProvider.GetTimestamp"/>).
/// </summary>
/// <param name="Instances">Processes sharing the IP's budget (each takes budget / Instances); at least 1.</param>
/// <param name="PauseEpoch">Grows with every shared pause; a new value means another process saw a 429.</param>
/// <param name="ProbeIsOurs">This process saw the 429 of <paramref name="PauseEpoch"/> and sends the one probe.</param>
/// <param name="PausedUntil">When the shared pause ends (local timestamp); null without a pause.</param>
/// <param name="RampStartedAt">When the probe of <paramref name="PauseEpoch"/> succeeded (local timestamp); null until then.</param>
public sealed record EgressBudgetView(int Instances, long PauseEpoch, bool ProbeIsOurs, long? PausedUntil, long? RampStartedAt)
{
    /// <summary>One process alone, nothing shared.</summary>
    public static EgressBudgetView Alone { get; } = new(1, 0, true, null, null);
}

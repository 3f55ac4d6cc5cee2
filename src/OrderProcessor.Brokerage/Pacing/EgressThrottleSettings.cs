namespace OrderProcessor.Brokerage.Pacing;

/// <summary>The egress IP's budget and its behaviour after a 429 (from <see cref="Configuration.PacingOptions"/>).</summary>
internal sealed record EgressThrottleSettings(
    int BudgetPerSecond,
    TimeSpan FirstPause,
    TimeSpan MaxPause,
    TimeSpan ProbeTimeout,
    TimeSpan ProbePoll,
    int RampStartPerSecond,
    TimeSpan RampTime,
    TimeSpan Window);

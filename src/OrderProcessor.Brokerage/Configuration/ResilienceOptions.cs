namespace OrderProcessor.Brokerage.Configuration;

/// <summary>
/// Retries (only where a repeat is safe) and circuit breakers: towards IBKR one circuit per user and endpoint group and a
/// retry budget per user; towards PiTrade one partner-wide circuit that only PiTrade's own outage (5xx, transport) opens.
/// </summary>
public sealed class ResilienceOptions
{
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>Base of the exponential, jittered retry delay.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Failure ratio in the sampling window that opens the circuit.</summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    public int BreakerMinimumThroughput { get; set; } = 20;

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries one user may spend within <see cref="RetryBudgetWindow"/> (IBKR calls); beyond that a failure stands.</summary>
    public int RetryBudgetPerUser { get; set; } = 10;

    public TimeSpan RetryBudgetWindow { get; set; } = TimeSpan.FromSeconds(10);
}

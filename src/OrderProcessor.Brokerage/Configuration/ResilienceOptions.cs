namespace OrderProcessor.Brokerage.Configuration;

/// <summary>Retries (only where a repeat is safe) and the circuit breaker of each upstream.</summary>
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
}

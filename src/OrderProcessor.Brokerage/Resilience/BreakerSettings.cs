namespace OrderProcessor.Brokerage.Resilience;

/// <summary>When a circuit opens and for how long (from <see cref="Configuration.ResilienceOptions"/>).</summary>
internal sealed record BreakerSettings(double FailureRatio, int MinimumThroughput, TimeSpan SamplingDuration, TimeSpan BreakDuration);

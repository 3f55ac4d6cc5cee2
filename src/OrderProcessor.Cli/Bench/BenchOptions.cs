namespace OrderProcessor.Cli.Bench;

/// <summary>What `orders bench` measures.</summary>
public sealed record BenchOptions(int Orders, IReadOnlyList<int> Rates, TimeSpan Warmup, TimeSpan RateDuration, int Users, int? ProcessorPid, string ReportDirectory);

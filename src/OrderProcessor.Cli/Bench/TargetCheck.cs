namespace OrderProcessor.Cli.Bench;

/// <summary>
/// One target of the performance issues against a run's figures: <see cref="Measured"/> says what the run measured
/// (or, not measured, which option would measure it); <see cref="Saturated"/>, for a throughput or latency target not
/// met, which resource the phase used up (the two cores and how each process shared them), or that none was.
/// </summary>
public sealed record TargetCheck(string Issue, string Target, string Measured, TargetVerdict Verdict, string? Saturated = null);

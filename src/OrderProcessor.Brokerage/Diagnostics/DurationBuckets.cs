using System.Diagnostics.Metrics;

namespace OrderProcessor.Brokerage.Diagnostics;

/// <summary>
/// The bucket boundaries of every duration histogram, in seconds: 1 ms to 30 s in 1-2.5-5 steps. Without them the
/// OpenTelemetry SDK uses its default boundaries (0, 5, 10, 25 ... 10000), which are meant for milliseconds: a
/// duration recorded in seconds then lands in the first bucket whatever it was, and no quantile can be read.
/// </summary>
public static class DurationBuckets
{
    /// <summary>Upper bounds in seconds (Prometheus <c>le</c>), ending at 30 s; slower observations go to <c>+Inf</c>.</summary>
    public static readonly IReadOnlyList<double> Seconds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>The same bounds in milliseconds, for a library's histogram recorded in ms (unit <c>ms</c>).</summary>
    public static readonly IReadOnlyList<double> Milliseconds = [.. Seconds.Select(static s => s * 1000)];

    /// <summary>The advice that gives a histogram (unit <c>s</c>) these boundaries wherever it is exported.</summary>
    public static InstrumentAdvice<double> Advice { get; } = new() { HistogramBucketBoundaries = Seconds };

    /// <summary>Creates a duration histogram in seconds with these boundaries.</summary>
    public static Histogram<double> CreateDurationHistogram(this Meter meter, string name, string description) =>
        meter.CreateHistogram(name, unit: "s", description: description, tags: null, advice: Advice);
}

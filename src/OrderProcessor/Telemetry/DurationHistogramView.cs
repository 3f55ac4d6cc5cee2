using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OrderProcessor.Brokerage.Diagnostics;

namespace OrderProcessor.Telemetry;

/// <summary>
/// Gives every duration histogram exported from the processor the same boundaries, 1 ms to 30 s
/// (<see cref="DurationBuckets"/>): the processor's and the guard's own (in seconds, which advise them already), and the
/// libraries' (ASP.NET Core and HttpClient in seconds, MassTransit in milliseconds), so that one dashboard reads them
/// all alike. A histogram of another unit (sizes, counts) keeps its own.
/// </summary>
public static class DurationHistogramView
{
    public static MetricStreamConfiguration? For(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        if (!IsHistogram(instrument))
        {
            return null;
        }

        return instrument.Unit switch
        {
            "s" => new ExplicitBucketHistogramConfiguration { Boundaries = [.. DurationBuckets.Seconds] },
            "ms" => new ExplicitBucketHistogramConfiguration { Boundaries = [.. DurationBuckets.Milliseconds] },
            _ => null,
        };
    }

    private static bool IsHistogram(Instrument instrument)
    {
        var type = instrument.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Histogram<>);
    }
}

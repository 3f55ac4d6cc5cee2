using System.Globalization;
using System.Text.RegularExpressions;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>A Prometheus text exposition read as Prometheus reads it: sample names, labels and values, and the families' types.</summary>
public sealed partial class PrometheusScrape
{
    private PrometheusScrape(string text, IReadOnlyList<PrometheusSample> samples, IReadOnlyDictionary<string, string> types)
    {
        Text = text;
        Samples = samples;
        Types = types;
    }

    public string Text { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Family name → type (<c># TYPE name histogram</c>).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Every sample name, suffixes included (<c>_bucket</c>, <c>_sum</c>, <c>_count</c>, <c>_total</c>).</summary>
    public IReadOnlySet<string> SampleNames => Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    public static async Task<PrometheusScrape> ReadAsync(Uri baseAddress)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        return Parse(await http.GetStringAsync("metrics"));
    }

    public static PrometheusScrape Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var match = Sample().Match(line);
            if (!match.Success)
            {
                throw new FormatException("not a Prometheus sample line: " + line);
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value)
                .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            var value = match.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, value));
        }

        return new PrometheusScrape(text, samples, types);
    }

    /// <summary>
    /// A histogram's observations per bucket (not cumulative), summed over every series whose labels contain
    /// <paramref name="labels"/>: upper bound → observations in (previous bound, bound].
    /// </summary>
    public SortedDictionary<double, double> BucketCounts(string histogram, IReadOnlyDictionary<string, string>? labels = null)
    {
        var cumulative = new SortedDictionary<double, double>();
        foreach (var sample in Samples.Where(s => s.Name == histogram + "_bucket" && Matches(s, labels)))
        {
            var le = sample.Labels["le"] == "+Inf" ? double.PositiveInfinity : double.Parse(sample.Labels["le"], CultureInfo.InvariantCulture);
            cumulative[le] = cumulative.GetValueOrDefault(le) + sample.Value;
        }

        var counts = new SortedDictionary<double, double>();
        var previous = 0.0;
        foreach (var (le, total) in cumulative)
        {
            counts[le] = total - previous;
            previous = total;
        }

        return counts;
    }

    /// <summary>The upper bounds a histogram's series carry (the same for every series of one histogram).</summary>
    public IReadOnlyList<double> Bounds(string histogram) =>
        [.. BucketCounts(histogram).Keys];

    private static bool Matches(PrometheusSample sample, IReadOnlyDictionary<string, string>? labels) =>
        labels is null || labels.All(l => sample.Labels.TryGetValue(l.Key, out var value) && value == l.Value);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex Sample();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}

public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

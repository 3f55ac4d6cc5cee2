using System.Globalization;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace OrderProcessor.IntegrationTests.Operations;

/// <summary>What Prometheus reads from the deployable host's <c>/metrics</c> after real IBKR work against the simulator.</summary>
public sealed class When_the_processor_is_scraped_after_a_flow_of_orders(ScrapedFlowFixture fixture, ITestOutputHelper output)
    : IClassFixture<ScrapedFlowFixture>
{
    private const string WorkDuration = "orderprocessor_ibkr_work_duration_seconds";

    [Fact]
    public void Should_spread_ibkr_work_durations_over_several_buckets_between_1_ms_and_30_s()
    {
        var scrape = fixture.Scrape;
        var buckets = scrape.BucketCounts(WorkDuration);
        var submit = scrape.BucketCounts(WorkDuration, new Dictionary<string, string> { ["work"] = "Submit" });
        output.WriteLine(fixture.Flow);
        output.WriteLine($"{WorkDuration} observations per bucket (le: count): {Describe(buckets)}");
        output.WriteLine($"  work=Submit: {Describe(submit)}");
        foreach (var histogram in scrape.Types.Where(t => t.Value == "histogram").Select(t => t.Key).Order())
        {
            output.WriteLine($"histogram {histogram}: bounds {string.Join(",", scrape.Bounds(histogram).Select(b => b.ToString(CultureInfo.InvariantCulture)))}");
        }

        Assert.Equal("histogram", scrape.Types[WorkDuration]);
        Assert.Contains(0.001, buckets.Keys);
        Assert.Contains(30.0, buckets.Keys);
        var used = buckets.Where(b => b.Value > 0).ToList();
        Assert.True(used.Count > 1, $"every IBKR work observation is in one bucket: {Describe(buckets)}");

        // bob's submissions waited for IBKR order calls of 300 ms each: above 0.25 s whatever the machine's load.
        Assert.True(submit.Where(b => b.Key > 0.25).Sum(b => b.Value) >= 3, $"the slow submissions are not above 0.25 s: {Describe(submit)}");
    }

    [Fact]
    public void Should_give_every_duration_histogram_the_buckets_from_1_ms_to_30_s()
    {
        var histograms = fixture.Scrape.Types.Where(t => t.Value == "histogram").Select(t => t.Key).Order().ToList();
        output.WriteLine($"{histograms.Count} histograms: {string.Join(", ", histograms)}");

        Assert.Contains("brokerage_ibkr_request_duration_seconds", histograms);
        Assert.Contains("brokerage_pacing_wait_seconds", histograms);
        foreach (var histogram in histograms)
        {
            var bounds = fixture.Scrape.Bounds(histogram);
            var expected = histogram.EndsWith("_seconds", StringComparison.Ordinal) ? [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, double.PositiveInfinity]
                : histogram.EndsWith("_milliseconds", StringComparison.Ordinal) || histogram.EndsWith("_ms", StringComparison.Ordinal)
                    ? new double[] { 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, double.PositiveInfinity }
                    : null;
            Assert.True(expected is not null, $"{histogram} is a histogram of neither seconds nor milliseconds");
            Assert.Equal(expected, bounds);
        }
    }

    [Fact]
    public void Should_export_the_429_counter_at_zero_before_the_first_429_so_the_alert_counts_it()
    {
        // increase() over a series that appears at N counts nothing of those N: the 429 alert would miss the first
        // burst after every start unless the counter is exported at 0 from the start.
        const string counter = "brokerage_pacing_too_many_requests_total";
        var fresh = fixture.FreshScrape.Samples.Where(s => s.Name == counter).ToList();
        var after = fixture.Scrape.Samples.Where(s => s.Name == counter).Sum(s => s.Value);
        output.WriteLine($"{counter}: {(fresh.Count == 0 ? "absent" : string.Join(", ", fresh.Select(s => s.Value)))} once ready, {after} after the flow ({fixture.Flow})");

        var sample = Assert.Single(fresh);
        Assert.Equal(0, sample.Value);
        var types = fixture.FreshScrape.Types;
        Assert.Equal("counter", types.GetValueOrDefault(counter) ?? types.GetValueOrDefault(counter.Replace("_total", string.Empty, StringComparison.Ordinal)));
        Assert.True(after >= 2, $"{after} 429s counted after the flow");
    }

    [Fact]
    public void Should_name_the_service_and_its_version_from_the_otel_variables()
    {
        var target = fixture.Scrape.Samples.Where(s => s.Name == "target_info").ToList();
        output.WriteLine(string.Join("\n", target.Select(t => string.Join(", ", t.Labels.Select(l => $"{l.Key}={l.Value}")))));

        var info = Assert.Single(target);
        Assert.Equal(ScrapedFlowFixture.ServiceName, info.Labels["service_name"]);
        Assert.Equal(ScrapedFlowFixture.ServiceVersion, info.Labels["service_version"]);
        Assert.Equal("test", info.Labels["deployment_environment"]);
    }

    [Fact]
    public void Should_find_every_metric_the_dashboard_and_the_alerts_query()
    {
        var names = fixture.Scrape.SampleNames;
        var queries = ObservabilityFiles.DashboardQueries(ObservabilityFiles.ReadDashboard())
            .SelectMany(p => p.Expressions.Select(e => ($"panel \"{p.Panel}\"", e)))
            .Concat(ObservabilityFiles.AlertRuleExpressions(ObservabilityFiles.ReadYaml(ObservabilityFiles.AlertRules)).Select(r => ($"alert {r.Alert}", r.Expression)))
            .ToList();
        var missing = new List<string>();
        foreach (var (where, expression) in queries)
        {
            var used = PromQl.MetricNames(expression);
            var absent = used.Where(n => !names.Contains(n) && !ObservabilityFiles.SyntheticMetrics.Contains(n)).ToList();
            output.WriteLine($"{where}: {string.Join(", ", used.Select(n => absent.Contains(n) ? n + " (MISSING)" : n))}");
            missing.AddRange(absent.Select(n => $"{n} ({where})"));

            // A query on one metric groups and matches by labels that metric has (a misspelt label shows nothing).
            if (used.Count == 1 && absent.Count == 0 && !ObservabilityFiles.SyntheticMetrics.Contains(used.Single()))
            {
                var labels = fixture.Scrape.Samples.Where(s => s.Name == used.Single()).SelectMany(s => s.Labels.Keys).ToHashSet(StringComparer.Ordinal);
                missing.AddRange(PromQl.LabelNames(expression).Where(l => !labels.Contains(l) && !ObservabilityFiles.TargetLabels.Contains(l)).Select(l => $"label {l} of {used.Single()} ({where})"));
            }
        }

        if (missing.Count > 0)
        {
            output.WriteLine("in the scrape: " + string.Join(", ", fixture.Scrape.Samples.GroupBy(s => s.Name).OrderBy(g => g.Key)
                .Select(g => $"{g.Key}{{{string.Join(",", g.SelectMany(s => s.Labels.Keys).Distinct().Order())}}}")));
        }

        output.WriteLine($"{queries.Count} queries, {queries.SelectMany(q => PromQl.MetricNames(q.Item2)).Distinct().Count()} metric names, {names.Count} sample names in the scrape");
        Assert.True(missing.Count == 0, "not in /metrics: " + string.Join("; ", missing));
    }

    private static string Describe(SortedDictionary<double, double> buckets) =>
        string.Join(", ", buckets.Select(b => $"{(double.IsPositiveInfinity(b.Key) ? "+Inf" : b.Key.ToString(CultureInfo.InvariantCulture))}: {b.Value}"));
}

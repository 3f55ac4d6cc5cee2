using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using OrderProcessor.IntegrationTests.Infrastructure;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace OrderProcessor.IntegrationTests.Operations;

/// <summary>
/// The Grafana dashboard, its provisioning and the Prometheus alert rules under <c>deploy/</c> have the shape Grafana and
/// Prometheus load, and docker-compose's observability profile mounts them where the provisioning looks. That their
/// queries' metrics exist is checked against a real scrape (<see cref="When_the_processor_is_scraped_after_a_flow_of_orders"/>).
/// </summary>
public sealed partial class When_the_dashboards_and_alerts_are_provisioned(ITestOutputHelper output)
{
    [Fact]
    public void Should_give_every_panel_queries_on_the_provisioned_prometheus_datasource()
    {
        var datasources = (YamlSequenceNode)ObservabilityFiles.ReadYaml(ObservabilityFiles.DatasourceProvisioning)["datasources"];
        var datasource = (YamlMappingNode)Assert.Single(datasources);
        var uid = ObservabilityFiles.Scalar(datasource, "uid");
        Assert.Equal("prometheus", ObservabilityFiles.Scalar(datasource, "type"));
        Assert.Equal("http://prometheus:9090", ObservabilityFiles.Scalar(datasource, "url"));

        var dashboard = ObservabilityFiles.ReadDashboard();
        Assert.False(string.IsNullOrWhiteSpace(dashboard.GetProperty("uid").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(dashboard.GetProperty("title").GetString()));
        Assert.True(dashboard.GetProperty("schemaVersion").GetInt32() >= 36, "a schema older than Grafana 9's");
        var panels = ObservabilityFiles.DashboardQueries(dashboard).ToList();
        var ids = dashboard.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var (title, panel, expressions) in panels)
        {
            output.WriteLine($"{title}: {string.Join(" | ", expressions)}");
            Assert.Equal(uid, panel.GetProperty("datasource").GetProperty("uid").GetString());
            var grid = panel.GetProperty("gridPos");
            Assert.All(new[] { "h", "w", "x", "y" }, key => Assert.Equal(JsonValueKind.Number, grid.GetProperty(key).ValueKind));
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.NotEmpty(targets);
            Assert.Equal(targets.Count, targets.Select(t => t.GetProperty("refId").GetString()).Distinct().Count());
            Assert.All(targets, t => Assert.Equal(uid, t.GetProperty("datasource").GetProperty("uid").GetString()));
            Assert.All(expressions, e => Assert.NotEmpty(PromQl.MetricNames(e)));
        }

        output.WriteLine($"{panels.Count} panels on datasource {uid}");
        foreach (var topic in new[] { "orderprocessor_orders", "orderprocessor_events_written_total", "orderprocessor_ibkr_work_duration_seconds_bucket",
            "orderprocessor_outbox_lag_seconds", "brokerage_sessions", "brokerage_pacing_wait_seconds_bucket", "brokerage_pacing_too_many_requests_total" })
        {
            Assert.Contains(panels, p => p.Expressions.Any(e => PromQl.MetricNames(e).Contains(topic)));
        }

        Assert.Contains(panels, p => p.Expressions.Any(e => e.Contains("histogram_quantile(", StringComparison.Ordinal) && e.Contains("orderprocessor_ibkr_work_duration_seconds_bucket", StringComparison.Ordinal)));
    }

    [Fact]
    public void Should_mount_the_provisioning_and_the_dashboards_where_grafana_and_prometheus_look_under_the_observability_profile()
    {
        var provider = (YamlMappingNode)Assert.Single((YamlSequenceNode)ObservabilityFiles.ReadYaml(ObservabilityFiles.DashboardProvisioning)["providers"]);
        Assert.Equal("file", ObservabilityFiles.Scalar(provider, "type"));
        var dashboardsPath = ObservabilityFiles.Scalar((YamlMappingNode)provider["options"], "path");

        var services = (YamlMappingNode)ObservabilityFiles.ReadYaml(ObservabilityFiles.Compose)["services"];
        var grafana = (YamlMappingNode)services["grafana"];
        var prometheus = (YamlMappingNode)services["prometheus"];
        Assert.All(new[] { grafana, prometheus }, s => Assert.Equal("observability", Assert.Single((YamlSequenceNode)s["profiles"]).ToString()));
        var grafanaMounts = Mounts(grafana);
        var prometheusMounts = Mounts(prometheus);
        output.WriteLine($"grafana: {string.Join(", ", grafanaMounts.Select(m => $"{m.Key} -> {m.Value}"))}");
        output.WriteLine($"prometheus: {string.Join(", ", prometheusMounts.Select(m => $"{m.Key} -> {m.Value}"))}");
        Assert.Equal("./deploy/grafana/dashboards", grafanaMounts[dashboardsPath!]);
        Assert.Equal("./deploy/grafana/provisioning/datasources", grafanaMounts["/etc/grafana/provisioning/datasources"]);
        Assert.Equal("./deploy/grafana/provisioning/dashboards", grafanaMounts["/etc/grafana/provisioning/dashboards"]);

        var config = ObservabilityFiles.ReadYaml(ObservabilityFiles.PrometheusConfig);
        var ruleFile = Assert.Single((YamlSequenceNode)config["rule_files"]).ToString();
        Assert.Equal("./deploy/prometheus/alerts.yml", prometheusMounts[ruleFile]);
        Assert.Equal("./deploy/prometheus/prometheus.yml", prometheusMounts["/etc/prometheus/prometheus.yml"]);

        // The scrape target is the compose processor on the port it listens on there.
        var job = (YamlMappingNode)Assert.Single((YamlSequenceNode)config["scrape_configs"]);
        var target = Assert.Single((YamlSequenceNode)((YamlMappingNode)Assert.Single((YamlSequenceNode)job["static_configs"]))["targets"]).ToString();
        var processorUrls = ObservabilityFiles.Scalar((YamlMappingNode)((YamlMappingNode)services["processor"])["environment"], "ASPNETCORE_URLS");
        Assert.Equal("processor:8080", target);
        Assert.EndsWith(":8080", processorUrls, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_alert_on_outbox_lag_stuck_orders_competing_sessions_and_429s()
    {
        var rules = ObservabilityFiles.AlertRuleExpressions(ObservabilityFiles.ReadYaml(ObservabilityFiles.AlertRules)).ToList();
        foreach (var (alert, rule, expression) in rules)
        {
            output.WriteLine($"{alert}: {expression} (for {ObservabilityFiles.Scalar(rule, "for") ?? "-"})");
            Assert.Matches("^[A-Za-z][A-Za-z0-9]*$", alert);
            Assert.NotEmpty(PromQl.MetricNames(expression));
            Assert.Contains(ObservabilityFiles.Scalar((YamlMappingNode)rule["labels"], "severity"), new[] { "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(ObservabilityFiles.Scalar((YamlMappingNode)rule["annotations"], "summary")));
            if (ObservabilityFiles.Scalar(rule, "for") is { } duration)
            {
                Assert.Matches(PrometheusDuration(), duration);
            }
        }

        Assert.Equal(rules.Count, rules.Select(r => r.Alert).Distinct().Count());
        Assert.Contains(rules, r => PromQl.MetricNames(r.Expression).Contains("orderprocessor_outbox_lag_seconds"));
        Assert.Contains(rules, r => PromQl.MetricNames(r.Expression).Contains("orderprocessor_orders_in_progress_oldest_seconds"));
        Assert.Contains(rules, r => PromQl.MetricNames(r.Expression).Contains("brokerage_sessions") && r.Expression.Contains("Competing", StringComparison.Ordinal));
        Assert.Contains(rules, r => PromQl.MetricNames(r.Expression).Contains("brokerage_pacing_too_many_requests_total"));

        // promtool, when installed (Debian's prometheus package), checks the rules as Prometheus loads them.
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            output.WriteLine("promtool not installed: the rules' PromQL was not checked by Prometheus itself");
            return;
        }

        using var check = Process.Start(new ProcessStartInfo(promtool, ["check", "rules", ObservabilityFiles.AlertRules]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var said = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();
        output.WriteLine($"promtool check rules: exit {check.ExitCode}: {said.Trim()}");
        Assert.Equal(0, check.ExitCode);
    }

    [Fact]
    public void Should_read_the_metric_names_of_a_promql_expression()
    {
        Assert.Equal(["a_bucket"], PromQl.MetricNames("histogram_quantile(0.95, sum by (le, work) (rate(a_bucket{x=\"y\", le!=\"1\"}[$__rate_interval])))"));
        Assert.Equal(["b", "c_total"], PromQl.MetricNames("max by (state) (b) > 300 and on (instance) sum(increase(c_total[5m])) > 0").Order());
        Assert.Equal(["up"], PromQl.MetricNames("up{job=\"orderprocessor\"} == 0"));
        Assert.Equal(["le", "status", "work"], PromQl.LabelNames("histogram_quantile(0.5, sum by (le, work) (rate(a_bucket{status=\"429\"}[5m])))").Order());
    }

    private static Dictionary<string, string> Mounts(YamlMappingNode service) =>
        ((YamlSequenceNode)service["volumes"]).Select(v => v.ToString().Split(':')).ToDictionary(p => p[1], p => p[0], StringComparer.Ordinal);

    [GeneratedRegex(@"^\d+[smhdwy]$")]
    private static partial Regex PrometheusDuration();
}

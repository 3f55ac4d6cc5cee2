using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>The dashboards, alert rules and provisioning under <c>deploy/</c>, read as Grafana and Prometheus read them.</summary>
public static class ObservabilityFiles
{
    public static string Dashboard => Path.Combine(RepositoryRoot.Path, "deploy", "grafana", "dashboards", "orderprocessor.json");

    public static string DatasourceProvisioning => Path.Combine(RepositoryRoot.Path, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml");

    public static string DashboardProvisioning => Path.Combine(RepositoryRoot.Path, "deploy", "grafana", "provisioning", "dashboards", "orderprocessor.yml");

    public static string AlertRules => Path.Combine(RepositoryRoot.Path, "deploy", "prometheus", "alerts.yml");

    public static string PrometheusConfig => Path.Combine(RepositoryRoot.Path, "deploy", "prometheus", "prometheus.yml");

    public static string Compose => Path.Combine(RepositoryRoot.Path, "docker-compose.yml");

    /// <summary>Names Prometheus makes itself for every target, not found in a scrape.</summary>
    public static readonly IReadOnlySet<string> SyntheticMetrics = new HashSet<string>(StringComparer.Ordinal) { "up" };

    /// <summary>Labels Prometheus adds to every series of a target, not found in a scrape.</summary>
    public static readonly IReadOnlySet<string> TargetLabels = new HashSet<string>(StringComparer.Ordinal) { "instance", "job" };

    public static JsonElement ReadDashboard()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Dashboard));
        return document.RootElement.Clone();
    }

    public static YamlMappingNode ReadYaml(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    /// <summary>Every panel with queries (rows' nested panels included) and its targets' expressions.</summary>
    public static IEnumerable<(string Panel, JsonElement Json, IReadOnlyList<string> Expressions)> DashboardQueries(JsonElement dashboard)
    {
        foreach (var panel in Panels(dashboard.GetProperty("panels")))
        {
            if (panel.GetProperty("type").GetString() == "row")
            {
                continue;
            }

            var expressions = panel.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString() ?? string.Empty).ToList();
            yield return (panel.GetProperty("title").GetString() ?? "(no title)", panel, expressions);
        }
    }

    /// <summary>Every alert rule: its name and expression.</summary>
    public static IEnumerable<(string Alert, YamlMappingNode Rule, string Expression)> AlertRuleExpressions(YamlMappingNode rules)
    {
        foreach (var group in ((YamlSequenceNode)rules["groups"]).Cast<YamlMappingNode>())
        {
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                yield return (Scalar(rule, "alert") ?? "(no name)", rule, Scalar(rule, "expr") ?? string.Empty);
            }
        }
    }

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? (value as YamlScalarNode)?.Value : null;

    private static IEnumerable<JsonElement> Panels(JsonElement panels)
    {
        foreach (var panel in panels.EnumerateArray())
        {
            yield return panel;
            if (panel.TryGetProperty("panels", out var nested))
            {
                foreach (var inner in Panels(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}

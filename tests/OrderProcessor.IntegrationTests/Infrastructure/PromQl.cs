using System.Text.RegularExpressions;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>The metric names a PromQL expression reads (what must exist in a scrape for it to show anything).</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan",
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio",
    };

    public static IReadOnlySet<string> MetricNames(string expression)
    {
        var text = StringLiteral().Replace(expression, " ");
        text = LabelMatchers().Replace(text, " ");
        text = RangeOrSubquery().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        return Identifier().Matches(text)
            .Where(m => !Keywords.Contains(m.Groups["name"].Value) && !m.Groups["call"].Success)
            .Select(m => m.Groups["name"].Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The label names an expression groups by or matches on (<c>by (a, b)</c>, <c>{c="x"}</c>).</summary>
    public static IReadOnlySet<string> LabelNames(string expression)
    {
        var text = StringLiteral().Replace(expression, "\"\"");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match grouping in Grouping().Matches(text))
        {
            var inside = grouping.Value[(grouping.Value.IndexOf('(', StringComparison.Ordinal) + 1)..^1];
            names.UnionWith(inside.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        foreach (Match matchers in LabelMatchers().Matches(text))
        {
            names.UnionWith(MatcherName().Matches(matchers.Value).Select(m => m.Groups[1].Value));
        }

        return names;
    }

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)")]
    private static partial Regex MatcherName();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeOrSubquery();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    /// <summary>A name not inside a number or a Grafana variable; <c>call</c> matches when a parenthesis follows (a function).</summary>
    [GeneratedRegex(@"(?<![\w.$:])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}

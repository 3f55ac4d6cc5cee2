using System.Text;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The transition table as Markdown: the inputs down, the statuses across, each cell the name of its rule, then what
/// each rule does. docs/lifecycle.md holds exactly this text between its markers; a test fails when they differ.
/// </summary>
public static class TransitionTableDocument
{
    public const string BeginMarker = "<!-- transition-table:begin (generated from TransitionTable; a test checks it) -->";
    public const string EndMarker = "<!-- transition-table:end -->";

    public static string Render()
    {
        var statuses = Enum.GetValues<OrderStatus>();
        var text = new StringBuilder();
        text.Append("| input \\ status |");
        foreach (var status in statuses)
        {
            text.Append(' ').Append(status).Append(" |");
        }

        text.AppendLine();
        text.Append("|---|");
        text.Append(string.Concat(Enumerable.Repeat("---|", statuses.Length)));
        text.AppendLine();
        foreach (var input in Enum.GetValues<LifecycleInput>())
        {
            text.Append("| ").Append(input).Append(" |");
            foreach (var status in statuses)
            {
                var rule = TransitionTable.Cells.TryGetValue((status, input), out var declared) ? declared.Name : "**undeclared**";
                text.Append(' ').Append(rule).Append(" |");
            }

            text.AppendLine();
        }

        text.AppendLine();
        text.AppendLine("| rule | what it does |");
        text.AppendLine("|---|---|");
        foreach (var rule in TransitionTable.Cells.Values.DistinctBy(r => r.Name).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            text.Append("| ").Append(rule.Name).Append(" | ").Append(rule.Does.Replace("|", "\\|", StringComparison.Ordinal));
            if (rule.Impossible)
            {
                text.Append(" *Never expected: the simulation counts each occurrence as an invariant violation.*");
            }

            text.AppendLine(" |");
        }

        return text.ToString();
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrderProcessor.UnitTests.Contracts;

/// <summary>The published contract files under <c>contracts/</c> and the example commands, as tests read them.</summary>
internal static class ContractFiles
{
    public static string Directory => Path.Combine(RepositoryRoot.Find(), "contracts");

    public static string SchemaDirectory => Path.Combine(Directory, "schemas");

    public static string Schema(string typeName) => File.ReadAllText(Path.Combine(SchemaDirectory, typeName + ".schema.json"));

    /// <summary>The example commands of <c>contracts/examples/commands.json</c>, placeholders filled.</summary>
    public static IReadOnlyList<ExampleCommand> Examples()
    {
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(Directory, "examples", "commands.json")))!;
        return [.. document["cases"]!.AsArray().Select(c => new ExampleCommand(
            (string)c!["name"]!, (string)c["command"]!, c["message"]?.ToJsonString(), (string?)c["text"], (string)c["schema"]! == "valid",
            (string)c["answer"]!, (string?)c["reasonCode"], (string?)c["field"], (string?)c["rule"]))];
    }
}

/// <summary>One example command and the answer it gets.</summary>
public sealed record ExampleCommand(string Name, string Command, string? Message, string? Text, bool SchemaValid, string Answer,
    string? ReasonCode, string? Field, string? Rule)
{
    /// <summary>The message as it goes on the wire: placeholders filled ($ID, $NEW, $WORKING, $CONID, $OVERFLOW).</summary>
    public string Fill(Guid id, Guid working, int conid)
    {
        var text = (Message ?? Text)!
            .Replace("\"$CONID\"", conid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("\"$OVERFLOW\"", "1e400", StringComparison.Ordinal)
            .Replace("$WORKING", working.ToString(), StringComparison.Ordinal)
            .Replace("$ID", id.ToString(), StringComparison.Ordinal);
        while (text.Contains("$NEW", StringComparison.Ordinal))
        {
            var at = text.IndexOf("$NEW", StringComparison.Ordinal);
            text = text[..at] + Guid.NewGuid() + text[(at + 4)..];
        }

        return text;
    }

    public bool IsJson()
    {
        try
        {
            using var _ = JsonDocument.Parse(Fill(Guid.NewGuid(), Guid.NewGuid(), 1));
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

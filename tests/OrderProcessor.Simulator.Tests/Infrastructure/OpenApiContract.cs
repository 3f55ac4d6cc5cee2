using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;

namespace OrderProcessor.Simulator.Tests.Infrastructure;

/// <summary>
/// The component schemas of IBKR's OpenAPI document, from the project's subset of it (contracts/ibkr: the operations
/// OrderProcessor calls; checked against IBKR's full document in OrderProcessor.Brokerage.Tests).
/// </summary>
public static class OpenApiContract
{
    public const string FileName = "ibkr-web-api-subset.json";
    private static readonly Lazy<JsonObject> Document = new(Load);

    /// <summary>Validation errors of <paramref name="json"/> against the component schema <paramref name="schemaName"/>.</summary>
    public static async Task<IReadOnlyList<string>> ErrorsAsync(string schemaName, string json)
    {
        var components = Document.Value["components"]!["schemas"]!.AsObject();
        var inlined = Inline(components[schemaName] ?? throw new ArgumentException("no schema " + schemaName, nameof(schemaName)), components, 0);
        var schema = await JsonSchema.FromJsonAsync(inlined.ToJsonString());
        return schema.Validate(json).Select(e => e.ToString()).ToList();
    }

    private static JsonNode Inline(JsonNode node, JsonObject components, int depth)
    {
        if (depth > 30)
            return new JsonObject();
        switch (node)
        {
            case JsonObject o when o["$ref"] is JsonValue r:
                var name = r.GetValue<string>().Split('/')[^1];
                return Inline(components[name]!, components, depth + 1);
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (key is "example" or "examples")
                        continue;
                    copy[key] = value is null ? null : Inline(value, components, depth + 1);
                }

                return copy;
            case JsonArray a:
                return new JsonArray(a.Select(i => i is null ? null : Inline(i, components, depth + 1)).ToArray());
            default:
                return node.DeepClone();
        }
    }

    private static JsonObject Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "contracts", "ibkr", FileName);
            if (File.Exists(Path.Combine(dir.FullName, "OrderProcessor.sln")) && File.Exists(candidate))
                return JsonNode.Parse(File.ReadAllText(candidate))!.AsObject();
        }

        throw new FileNotFoundException("contracts/ibkr/" + FileName + " was not found in the repository above " + AppContext.BaseDirectory, FileName);
    }

    public static string Serialize(JsonElement element) => element.GetRawText();
}

using System.Text.Json.Nodes;
using NJsonSchema;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>
/// Request-body schemas from the project's subset of IBKR's OpenAPI document (contracts/ibkr, checked against IBKR's
/// full document by <c>When_the_ibkr_subset_is_compared_with_ibkr_openapi_document</c>). A schema is the operation's requestBody schema, with the component schemas it references (transitively) as
/// JSON-Schema definitions, so that NJsonSchema resolves every $ref.
/// </summary>
internal static class OpenApiSchemas
{
    private const string ComponentPrefix = "#/components/schemas/";

    private static readonly Lazy<JsonObject> Document = new(() =>
        JsonNode.Parse(File.ReadAllText(RepositoryRoot.IbkrOpenApiSubset))!.AsObject());

    private static readonly Dictionary<(string, string), Task<JsonSchema>> Cache = [];
    private static readonly Lock Sync = new();

    public static Task<JsonSchema> RequestBodyAsync(string method, string openApiPath)
    {
        lock (Sync)
        {
            if (!Cache.TryGetValue((method, openApiPath), out var schema))
            {
                schema = LoadAsync(method, openApiPath);
                Cache[(method, openApiPath)] = schema;
            }

            return schema;
        }
    }

    private static Task<JsonSchema> LoadAsync(string method, string openApiPath)
    {
        var document = Document.Value;
        var components = document["components"]!["schemas"]!.AsObject();
        var operation = document["paths"]![openApiPath]![method.ToLowerInvariant()]!;
        var body = operation["requestBody"]!["content"]!["application/json"]!["schema"]!.DeepClone().AsObject();
        if (body["$ref"] is { } rootReference)
        {
            body = components[rootReference.GetValue<string>()[ComponentPrefix.Length..]]!.DeepClone().AsObject();
        }

        var needed = new SortedSet<string>(StringComparer.Ordinal);
        CollectReferences(body, components, needed);
        var definitions = new JsonObject();
        foreach (var name in needed)
        {
            definitions[name] = components[name]!.DeepClone();
        }

        body["definitions"] = definitions;
        var json = body.ToJsonString().Replace(ComponentPrefix, "#/definitions/", StringComparison.Ordinal);
        return JsonSchema.FromJsonAsync(json);
    }

    private static void CollectReferences(JsonNode? node, JsonObject components, ISet<string> found)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value?.GetValue<string>() is { } reference && reference.StartsWith(ComponentPrefix, StringComparison.Ordinal))
                    {
                        var name = reference[ComponentPrefix.Length..];
                        if (found.Add(name))
                        {
                            CollectReferences(components[name], components, found);
                        }
                    }
                    else
                    {
                        CollectReferences(value, components, found);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    CollectReferences(item, components, found);
                }

                break;
        }
    }
}

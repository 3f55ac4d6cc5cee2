using System.Reflection;
using System.Text.Json.Nodes;
using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using Refit;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Contract;

/// <summary>
/// The tests check requests and answers against contracts/ibkr/ibkr-web-api-subset.json, the project's own copy of the
/// part of IBKR's OpenAPI document it uses, so a clone runs them without ../shared. These facts keep that copy honest:
/// it covers every endpoint the guard calls, it is closed under its references, and (where IBKR's full document is
/// beside the working copy) every operation and component in it is exactly IBKR's.
/// </summary>
public sealed class When_the_ibkr_subset_is_compared_with_ibkr_openapi_document(ITestOutputHelper output)
{
    private const string ComponentPrefix = "#/components/";

    private static JsonObject Subset => JsonNode.Parse(File.ReadAllText(RepositoryRoot.IbkrOpenApiSubset))!.AsObject();

    [Fact]
    public void Should_hold_every_endpoint_the_guard_calls()
    {
        var subset = Subset;
        var calls = typeof(IOrdersApi).Assembly.GetTypes()
            .Where(t => t.IsInterface)
            .SelectMany(t => t.GetMethods())
            .Select(m => m.GetCustomAttribute<HttpMethodAttribute>())
            .OfType<HttpMethodAttribute>()
            .Select(a => (Method: a.Method.Method.ToLowerInvariant(), Path: a.Path.Split('?')[0]))
            .Distinct()
            .ToList();
        var missing = calls.Where(c => subset["paths"]?[c.Path]?[c.Method] is null).ToList();
        output.WriteLine($"{calls.Count} endpoints called by the guard's typed clients; missing from the subset: {missing.Count}");
        foreach (var (method, path) in missing)
        {
            output.WriteLine($"  {method.ToUpperInvariant()} {path}");
        }

        Assert.True(calls.Count >= 15, $"only {calls.Count} Refit endpoints found: the reflection no longer sees the typed clients");
        Assert.Empty(missing);
    }

    [Fact]
    public void Should_resolve_every_reference_inside_itself()
    {
        var subset = Subset;
        var references = ReferencesIn(subset).Distinct().ToList();
        var unresolved = references.Where(r => subset["components"]?[r.Section]?[r.Name] is null).ToList();
        output.WriteLine($"{references.Count} distinct component references; unresolved: {string.Join(", ", unresolved.Select(r => $"{r.Section}/{r.Name}"))}");

        Assert.Empty(unresolved);
    }

    [FactWhenIbkrOpenApiDocumentIsPresent]
    public void Should_hold_each_operation_and_component_exactly_as_ibkr_publishes_it()
    {
        var subset = Subset;
        var full = JsonNode.Parse(File.ReadAllText(RepositoryRoot.IbkrOpenApiDocument))!.AsObject();
        var differences = new List<string>();
        var operations = 0;
        foreach (var (path, methods) in subset["paths"]!.AsObject())
        {
            foreach (var (method, operation) in methods!.AsObject())
            {
                operations++;
                if (!JsonNode.DeepEquals(operation, full["paths"]?[path]?[method]))
                {
                    differences.Add($"{method.ToUpperInvariant()} {path}");
                }
            }
        }

        var components = 0;
        foreach (var (section, named) in subset["components"]!.AsObject())
        {
            foreach (var (name, component) in named!.AsObject())
            {
                components++;
                if (!JsonNode.DeepEquals(component, full["components"]?[section]?[name]))
                {
                    differences.Add($"components/{section}/{name}");
                }
            }
        }

        var version = (subset["info"]?["version"]?.GetValue<string>(), full["info"]?["version"]?.GetValue<string>());
        output.WriteLine($"subset of IBKR {version.Item1} against the full document {version.Item2}: {operations} operations, {components} components, {differences.Count} differ");
        foreach (var difference in differences)
        {
            output.WriteLine("  differs: " + difference);
        }

        Assert.Equal(version.Item2, version.Item1);
        Assert.True(operations >= 15 && components > 0, "the subset is empty");
        Assert.True(differences.Count == 0, "regenerate with `python3 scripts/ibkr-openapi-subset.py`: " + string.Join(", ", differences));
    }

    private static IEnumerable<(string Section, string Name)> ReferencesIn(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "$ref" && value?.GetValue<string>() is { } reference && reference.StartsWith(ComponentPrefix, StringComparison.Ordinal))
                    {
                        var parts = reference[ComponentPrefix.Length..].Split('/', 2);
                        yield return (parts[0], parts[1]);
                    }
                    else
                    {
                        foreach (var found in ReferencesIn(value))
                        {
                            yield return found;
                        }
                    }
                }

                break;
            case JsonArray array:
                foreach (var found in array.SelectMany(ReferencesIn))
                {
                    yield return found;
                }

                break;
        }
    }
}

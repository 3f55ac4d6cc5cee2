using System.Text.Json;
using Json.Schema;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Contracts;

/// <summary>
/// The published JSON Schemas say what the processor says: every example command the processor accepts validates, and
/// every one it refuses (a number for an enum, a wrong JSON type, a number beyond its type, no id) does not. The same
/// examples are published raw to a running processor by the integration test <c>When_a_foreign_client_publishes_raw_commands</c>.
/// </summary>
public sealed class When_payloads_are_checked_against_the_schemas(ITestOutputHelper output)
{
    [Fact]
    public void Should_validate_the_valid_examples_and_reject_the_invalid_ones()
    {
        var examples = ContractFiles.Examples().Where(e => e.IsJson()).ToList();
        var schemas = examples.Select(e => e.Command).Distinct().ToDictionary(c => c, c =>
            JsonSchema.FromText(ContractFiles.Schema(c), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));
        var wrong = new List<string>();
        foreach (var example in examples)
        {
            using var document = JsonDocument.Parse(example.Fill(Guid.NewGuid(), Guid.NewGuid(), 265598));
            var result = schemas[example.Command].Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            output.WriteLine($"{(result.IsValid ? "valid  " : "invalid")} {example.Command}: {example.Name}");
            if (result.IsValid != example.SchemaValid)
            {
                wrong.Add($"{example.Command} '{example.Name}' is {(result.IsValid ? "valid" : "invalid")} by its schema, expected {(example.SchemaValid ? "valid" : "invalid")}");
            }
        }

        output.WriteLine($"{examples.Count} examples: {examples.Count(e => e.SchemaValid)} valid, {examples.Count(e => !e.SchemaValid)} invalid, {wrong.Count} judged otherwise");
        Assert.True(examples.Count(e => !e.SchemaValid) >= 25, "the invalid examples cover the ordinal enums, wrong types, overflows and missing ids");
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Theory]
    [InlineData("PlaceOrder", "side", "0")]
    [InlineData("PlaceOrder", "side", "\"Buy\"")] // the schema lists the wire names exactly; the processor also reads any letter case
    [InlineData("PlaceOrder", "conid", "\"265598\"")]
    [InlineData("PlaceOrder", "conid", "2147483648")]
    [InlineData("PlaceOrder", "quantity", "\"5 shares\"")]
    [InlineData("PlaceOrder", "orderId", "\"00000000-0000-0000-0000-000000000000\"")]
    [InlineData("MarginCheck", "orderType", "1")]
    public void Should_reject_a_field_of_the_wrong_form(string command, string field, string value)
    {
        var valid = ContractFiles.Examples().First(e => e.Command == command && e.SchemaValid);
        var node = System.Text.Json.Nodes.JsonNode.Parse(valid.Fill(Guid.NewGuid(), Guid.NewGuid(), 265598))!.AsObject();
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        var schema = JsonSchema.FromText(ContractFiles.Schema(command), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var document = JsonDocument.Parse(node.ToJsonString());
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        output.WriteLine($"{command} with {field}: {value} → {(result.IsValid ? "valid" : "invalid")}");
        Assert.False(result.IsValid);
    }
}

using System.Text.Json;
using MassTransit.Serialization;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Contracts;

/// <summary>
/// The answers <c>contracts/examples/commands.json</c> documents for PlaceOrder and MarginCheck, checked without a
/// running processor: an example answered by its events passes the validator, and one answered by a validation refusal
/// gets exactly the field and rule the file names (the integration test compares the whole refusal the same way).
/// Refusals of the JSON itself (rule type) and of the bus (_error) happen before validation and are not judged here.
/// </summary>
public sealed class When_the_examples_are_validated(ITestOutputHelper output)
{
    [Fact]
    public void Should_refuse_each_example_by_the_field_and_rule_the_file_names_and_pass_the_others()
    {
        var judged = 0;
        var wrong = new List<string>();
        foreach (var example in ContractFiles.Examples().Where(e => e.Command is nameof(PlaceOrder) or nameof(MarginCheck) && e.IsJson()))
        {
            if (example.Answer == "_error" || example.Rule == "type" || (example.Answer == nameof(OrderRejected) && example.ReasonCode != "ValidationFailed"))
            {
                continue;
            }

            var json = example.Fill(Guid.NewGuid(), Guid.NewGuid(), 265598);
            var violations = example.Command == nameof(PlaceOrder)
                ? PlaceOrderValidator.Validate(JsonSerializer.Deserialize<PlaceOrder>(json, SystemTextJsonMessageSerializer.Options)!)
                : StandaloneMarginCheck.Validate(JsonSerializer.Deserialize<MarginCheck>(json, SystemTextJsonMessageSerializer.Options)!);
            var found = string.Join(",", violations.Select(v => $"{v.Field}/{v.Rule}"));
            var expected = example.Answer == nameof(OrderRejected) ? $"{example.Field}/{example.Rule}" : string.Empty;
            judged++;
            output.WriteLine($"{example.Command,-12} {example.Name}: [{found}]");
            if (found != expected)
            {
                wrong.Add($"{example.Command} '{example.Name}': expected [{expected}], got [{found}]");
            }
        }

        output.WriteLine($"{judged} examples validated, {wrong.Count} otherwise than the file says");
        Assert.True(judged >= 40, "the examples cover the new ticket shapes");
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }
}

using System.Text.Json;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Orders;

public sealed class When_violations_are_many(ITestOutputHelper output)
{
    [Fact]
    public void Should_check_the_count_of_an_oca_group_before_its_orders()
    {
        var command = When_a_place_order_is_validated.Valid() with
        {
            OcaGroup = new OcaGroup { Name = "g", Orders = [.. Enumerable.Range(0, 50_000).Select(_ => new OrderLeg())] },
        };

        var violations = PlaceOrderValidator.Validate(command);
        output.WriteLine($"50,000 empty legs: {violations.Count} violation(s): {string.Join("; ", violations.Select(v => v.Message))}");

        var single = Assert.Single(violations);
        Assert.Equal(("ocaGroup.orders", "max-count"), (single.Field, single.Rule));
    }

    [Fact]
    public void Should_list_at_most_twenty_and_count_the_rest()
    {
        var many = Enumerable.Range(0, 57).Select(i => new FieldViolation($"f{i}", "rule", $"f{i} is wrong.")).ToList();

        var capped = ViolationCap.Apply(many);
        output.WriteLine($"57 violations -> {capped.Count} listed, the last: {capped[^1].Message}; {JsonSerializer.Serialize(capped).Length} characters");

        Assert.Equal(21, capped.Count);
        Assert.Equal(many.Take(20), capped.Take(20));
        Assert.Equal("and 37 more violation(s).", capped[^1].Message);
        var few = many.Take(20).ToList();
        Assert.Same(few, ViolationCap.Apply(few));
    }
}

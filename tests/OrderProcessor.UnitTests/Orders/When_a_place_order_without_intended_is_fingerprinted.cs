using System.Text.Json;
using System.Text.Json.Nodes;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// PlaceOrder.Intended (issue 13, the duplicate guard) is left out of the JSON when false, so every PlaceOrder sent
/// before it existed keeps its fingerprint: a redelivery after the upgrade is still a repeat, not a conflicting duplicate.
/// </summary>
public sealed class When_a_place_order_without_intended_is_fingerprinted(ITestOutputHelper output)
{
    private static readonly PlaceOrder Command = new()
    {
        OrderId = Guid.Parse("5f0c6a52-8a5e-4d0e-9a43-0c2b7f3e9d11"),
        UserId = "alice",
        AccountId = "DU1",
        Conid = 265598,
        Side = OrderSide.Buy,
        Quantity = 10m,
        OrderType = OrderType.Limit,
        LimitPrice = 125.5m,
        TimeInForce = TimeInForce.Day,
    };

    [Fact]
    public void Should_hash_the_same_json_as_before_the_field_existed()
    {
        var json = JsonNode.Parse(JsonSerializer.Serialize(Command, ContractJson.Options))!.AsObject();
        output.WriteLine($"fingerprint {CommandFingerprint.Of(Command)} of {json.ToJsonString()}");
        Assert.False(json.ContainsKey("intended"), "a PlaceOrder without Intended must serialise without the field");

        // Pinned: the fingerprint this command had before Intended existed (same JSON, the same fields in the same order).
        Assert.Equal("a1657b4232ce8182f3402c8ae8a19e00c71e895f7b0ad176d44a5cc1e7be4cbf", CommandFingerprint.Of(Command));
    }

    [Fact]
    public void Should_differ_when_intended_is_set()
    {
        var intended = Command with { Intended = true };
        output.WriteLine($"without {CommandFingerprint.Of(Command)}, with intended {CommandFingerprint.Of(intended)}");
        Assert.NotEqual(CommandFingerprint.Of(Command), CommandFingerprint.Of(intended));
        Assert.Contains("\"intended\":true", JsonSerializer.Serialize(intended, ContractJson.Options), StringComparison.Ordinal);
    }
}

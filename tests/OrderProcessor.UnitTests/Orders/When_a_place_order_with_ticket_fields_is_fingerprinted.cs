using System.Text.Json;
using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// The ticket fields of issue 16 are part of "the same order": each one set changes the fingerprint (a PlaceOrder that
/// differs only in it is a conflicting duplicate, not a repeat), and left unset they are not in the JSON at all, so a
/// command sent before they existed keeps its fingerprint (the pinned hash of When_a_place_order_without_intended_is_fingerprinted).
/// </summary>
public sealed class When_a_place_order_with_ticket_fields_is_fingerprinted(ITestOutputHelper output)
{
    private static readonly PlaceOrder Command = When_a_place_order_is_validated.Valid();

    public static TheoryData<string, PlaceOrder> Changed => new()
    {
        { "cashQuantity", Command with { CashQuantity = 500m } },
        { "securityType", Command with { SecurityType = SecurityType.Stock } },
        { "listingExchange", Command with { ListingExchange = "NASDAQ" } },
        { "conidex", Command with { Conidex = "265598@SMART" } },
        { "algo", Command with { Algo = new ExecutionAlgo { Strategy = "Adaptive" } } },
        { "algo parameter", Command with { Algo = new ExecutionAlgo { Strategy = "Adaptive", Parameters = new Dictionary<string, string> { ["adaptivePriority"] = "Urgent" } } } },
        { "useAdaptive", Command with { UseAdaptive = true } },
        { "allOrNone", Command with { AllOrNone = true } },
        { "manualIndicator false", Command with { ManualIndicator = false } },
        { "manualIndicator true", Command with { ManualIndicator = true } },
        { "currencyConversion", Command with { CurrencyConversion = true } },
    };

    [Theory]
    [MemberData(nameof(Changed))]
    public void Should_differ_when_a_ticket_field_is_set(string field, PlaceOrder changed)
    {
        output.WriteLine($"{field}: {JsonSerializer.Serialize(changed, ContractJson.Options)}");
        Assert.NotEqual(CommandFingerprint.Of(Command), CommandFingerprint.Of(changed));
    }

    [Fact]
    public void Should_tell_two_algorithm_priorities_apart()
    {
        static PlaceOrder Adaptive(string priority) => Command with
        {
            Algo = new ExecutionAlgo { Strategy = "Adaptive", Parameters = new Dictionary<string, string> { ["adaptivePriority"] = priority } },
        };

        Assert.NotEqual(CommandFingerprint.Of(Adaptive("Normal")), CommandFingerprint.Of(Adaptive("Urgent")));
    }

    [Fact]
    public void Should_leave_unset_fields_out_of_place_orders_and_margin_checks()
    {
        var place = JsonSerializer.Serialize(Command, ContractJson.Options);
        var check = JsonSerializer.Serialize(new MarginCheck { CheckId = Guid.NewGuid(), Conid = 1, Quantity = 1 }, ContractJson.Options);
        output.WriteLine(place);
        output.WriteLine(check);

        string[] fields = ["cashQuantity", "securityType", "listingExchange", "conidex", "algo", "useAdaptive", "allOrNone", "manualIndicator", "currencyConversion"];
        Assert.Equal([], fields.Where(f => place.Contains($"\"{f}\"", StringComparison.Ordinal) || check.Contains($"\"{f}\"", StringComparison.Ordinal)).ToList());
    }
}

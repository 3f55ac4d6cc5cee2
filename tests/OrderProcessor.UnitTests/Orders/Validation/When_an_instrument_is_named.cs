using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using static OrderProcessor.UnitTests.Orders.Validation.TicketCases;

namespace OrderProcessor.UnitTests.Orders.Validation;

public sealed class When_an_instrument_is_named
{
    public static TheoryData<string, PlaceOrder, string, string> Broken => new()
    {
        { "an unknown security type", Stock() with { SecurityType = LenientEnumConverter<SecurityType>.Unrecognised }, "securityType", "one-of" },
        { "a listing exchange in lower case", Stock() with { ListingExchange = "nasdaq" }, "listingExchange", "exchange-format" },
        { "an empty listing exchange", Stock() with { ListingExchange = string.Empty }, "listingExchange", "exchange-format" },
        { "a listing exchange of 17 characters", Stock() with { ListingExchange = new string('A', 17) }, "listingExchange", "exchange-format" },
        { "a conidex that is a ticker", Stock() with { Conidex = "AAPL@SMART" }, "conidex", "conidex-format" },
        { "a conidex with an empty exchange", Stock() with { Conidex = "265598@" }, "conidex", "conidex-format" },
        { "a conidex of another contract", Stock() with { Conidex = "8314@SMART" }, "conidex", "conidex-conid" },
        { "a conidex beyond a contract id", Stock() with { Conidex = "9999999999@SMART" }, "conidex", "conidex-conid" },
    };

    public static TheoryData<string, PlaceOrder> Valid => new()
    {
        { "a stock without a security type", Stock() },
        { "a stock said to be one", Stock() with { SecurityType = SecurityType.Stock } },
        { "a listing exchange", Stock() with { ListingExchange = "NASDAQ" } },
        { "a listing exchange with a dot", Stock() with { ListingExchange = "BATS.X" } },
        { "a conidex without an exchange", Stock() with { Conidex = "265598" } },
        { "a conidex routed to an exchange", Stock() with { Conidex = "265598@ISLAND" } },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Should_refuse_it_naming_the_field_and_the_rule(string scenario, PlaceOrder command, string field, string rule) =>
        Refused(PlaceOrderValidator.Validate(command), field, rule, scenario);

    [Theory]
    [MemberData(nameof(Valid))]
    public void Should_pass_a_well_named_instrument(string scenario, PlaceOrder command) => Passes(PlaceOrderValidator.Validate(command), scenario);
}

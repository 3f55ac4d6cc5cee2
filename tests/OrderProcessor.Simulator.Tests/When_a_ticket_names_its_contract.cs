using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_ticket_names_its_contract
{
    private const int Stock = 265598;

    [Fact]
    public void Should_accept_the_contracts_own_security_type_exchange_and_conidex()
    {
        var ticket = Tickets.Of(Stock) with { SecType = "STK", ListingExchange = "NASDAQ", Conidex = "265598@SMART" };

        Assert.Null(Tickets.Refusal(ticket));
        Assert.Null(Tickets.Refusal(Tickets.Of(Stock) with { Conidex = "265598" }));
    }

    [Fact]
    public void Should_accept_the_older_conid_colon_type_form_of_the_security_type_when_it_names_this_contract()
    {
        Assert.Null(Tickets.Refusal(Tickets.Of(Stock) with { SecType = "265598:STK" }));
        Assert.Equal(
            "Invalid security type 8314:STK for contract 265598: it names contract 8314",
            Tickets.Refusal(Tickets.Of(Stock) with { SecType = "8314:STK" }));
        Assert.Equal(
            "Invalid security type 265598:FUT for contract 265598: the contract is STK",
            Tickets.Refusal(Tickets.Of(Stock) with { SecType = "265598:FUT" }));
    }

    [Theory]
    [InlineData("FUT")]
    [InlineData("stk")]
    [InlineData("CRYPTO")]
    public void Should_refuse_a_security_type_that_is_not_the_contracts(string secType)
    {
        Assert.Equal(
            $"Invalid security type {secType} for contract 265598: the contract is STK",
            Tickets.Refusal(Tickets.Of(Stock) with { SecType = secType }));
    }

    [Fact]
    public void Should_refuse_a_stock_ticket_for_the_future()
    {
        var ticket = Tickets.Of(InstrumentCatalog.EsFuture) with { SecType = "STK", ManualIndicator = false };

        Assert.Equal($"Invalid security type STK for contract {InstrumentCatalog.EsFuture}: the contract is FUT", Tickets.Refusal(ticket));
    }

    [Fact]
    public void Should_refuse_a_conidex_for_another_conid()
    {
        Assert.Equal("conidex 8314@SMART does not match conid 265598", Tickets.Refusal(Tickets.Of(Stock) with { Conidex = "8314@SMART" }));
    }

    [Theory]
    [InlineData("265598@smart")]
    [InlineData("@SMART")]
    [InlineData("AAPL@SMART")]
    [InlineData("265598@")]
    public void Should_refuse_a_malformed_conidex(string conidex)
    {
        Assert.Equal($"Invalid conidex: {conidex}. Expected conid@EXCHANGE", Tickets.Refusal(Tickets.Of(Stock) with { Conidex = conidex }));
    }

    [Fact]
    public void Should_refuse_an_exchange_the_contract_does_not_trade_on()
    {
        Assert.Equal("Invalid exchange CME for contract 265598", Tickets.Refusal(Tickets.Of(Stock) with { Conidex = "265598@CME" }));
        Assert.Equal("Invalid exchange LSE for contract 265598", Tickets.Refusal(Tickets.Of(Stock) with { ListingExchange = "LSE" }));
        Assert.Equal(
            $"Invalid exchange SMART for contract {InstrumentCatalog.EurUsd}",
            Tickets.Refusal(Tickets.Of(InstrumentCatalog.EurUsd, quantity: 1000m) with { Conidex = "12087792@SMART" }));
    }
}

using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_all_or_none_or_currency_conversion_is_asked
{
    [Fact]
    public void Should_accept_all_or_none_on_a_day_or_gtc_stock_order()
    {
        Assert.Null(Tickets.Refusal(Tickets.Of(265598, "LMT", 300m, price: 100m) with { AllOrNone = true }));
        Assert.Null(Tickets.Refusal(Tickets.Of(265598, "LMT", 300m, tif: "GTC", price: 100m) with { AllOrNone = true }));
    }

    [Fact]
    public void Should_refuse_all_or_none_with_ioc()
    {
        Assert.Equal(
            "All-or-none orders cannot have time in force IOC",
            Tickets.Refusal(Tickets.Of(265598, "LMT", 300m, tif: "IOC", price: 100m) with { AllOrNone = true }));
    }

    [Fact]
    public void Should_refuse_all_or_none_on_a_currency_pair()
    {
        Assert.Equal(
            "All-or-none is not supported for EUR.USD (CASH)",
            Tickets.Refusal(Tickets.Of(InstrumentCatalog.EurUsd, quantity: 1000m) with { AllOrNone = true }));
    }

    [Fact]
    public void Should_take_currency_conversion_on_a_currency_pair_only()
    {
        Assert.Null(Tickets.Refusal(Tickets.Cash(InstrumentCatalog.EurUsd, 1000m) with { IsCcyConv = true, Conidex = "12087792@IDEALPRO" }));
        Assert.Equal(
            "Currency conversion (isCcyConv) is for forex (CASH) orders only, not STK",
            Tickets.Refusal(Tickets.Of(265598) with { IsCcyConv = true }));
    }
}

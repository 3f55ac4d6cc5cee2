using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_order_type_and_time_in_force_meet_the_contract
{
    [Fact]
    public void Should_accept_midprice_on_a_stock_with_or_without_a_cap()
    {
        Assert.Null(Tickets.Refusal(Tickets.Of(265598, "MIDPRICE")));
        Assert.Null(Tickets.Refusal(Tickets.Of(265598, "MIDPRICE", price: 100m)));
    }

    [Theory]
    [InlineData(InstrumentCatalog.EsFuture, "FUT")]
    [InlineData(InstrumentCatalog.AaplCall, "OPT")]
    [InlineData(InstrumentCatalog.EurUsd, "CASH")]
    public void Should_refuse_midprice_on_anything_but_a_stock(int conid, string secType)
    {
        Assert.Equal(
            $"MIDPRICE orders are supported for stocks only, not {secType}",
            Tickets.Refusal(Tickets.Of(conid, "MIDPRICE") with { ManualIndicator = false }));
    }

    [Theory]
    [InlineData("TRAIL")]
    [InlineData("TRAILLMT")]
    public void Should_refuse_option_order_types_other_than_mkt_lmt_stp_stop_limit(string orderType)
    {
        var ticket = Tickets.Of(InstrumentCatalog.AaplCall, orderType, price: 4m) with { AuxPrice = 4.1m, TrailingAmt = 0.1m, TrailingType = "amt" };

        Assert.Equal($"Order type {orderType} is not supported for options", Tickets.Refusal(ticket));
    }

    [Theory]
    [InlineData("OVT")]
    [InlineData("OND")]
    public void Should_take_overnight_times_in_force_for_limit_orders_on_stocks_only(string tif)
    {
        var text = $"Time in force {tif} (overnight trading) is supported for LMT orders on stocks only";

        Assert.Null(Tickets.Refusal(Tickets.Of(265598, "LMT", tif: tif, price: 100m)));
        Assert.Equal(text, Tickets.Refusal(Tickets.Of(265598, "MKT", tif: tif)));
        Assert.Equal(text, Tickets.Refusal(Tickets.Of(InstrumentCatalog.EsFuture, "LMT", tif: tif, price: 5000m) with { ManualIndicator = true }));
    }

    [Fact]
    public void Should_refuse_pax_which_is_for_crypto()
    {
        Assert.Equal("Time in force PAX is for cryptocurrency orders only", Tickets.Refusal(Tickets.Of(265598, "LMT", tif: "PAX", price: 100m)));
    }
}

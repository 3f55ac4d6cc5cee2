using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_cash_quantity_ticket_is_checked
{
    private const int Stock = 265598;

    [Fact]
    public void Should_accept_a_market_or_limit_cash_order_on_a_fractional_stock_or_a_currency_pair()
    {
        Assert.Null(Tickets.Refusal(Tickets.Cash(Stock, 500m)));
        Assert.Null(Tickets.Refusal(Tickets.Cash(Stock, 500m, "LMT", 187m)));
        Assert.Null(Tickets.Refusal(Tickets.Cash(InstrumentCatalog.EurUsd, 10_000m)));
    }

    [Fact]
    public void Should_refuse_a_size_beside_the_cash_with_ibkrs_text()
    {
        Assert.Equal("Cash Quantity order cannot specify size", Tickets.Refusal(Tickets.Cash(Stock, 500m) with { Quantity = 3m }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-10)]
    public void Should_refuse_a_cash_quantity_that_is_not_positive(decimal cash)
    {
        Assert.Equal("Cash quantity must be positive", Tickets.Refusal(Tickets.Cash(Stock, cash)));
    }

    [Fact]
    public void Should_refuse_a_cash_quantity_finer_than_a_cent()
    {
        Assert.Equal("Cash quantity must be a multiple of 0.01", Tickets.Refusal(Tickets.Cash(Stock, 500.005m)));
    }

    [Theory]
    [InlineData(InstrumentCatalog.WholeSharesStock, "SIMWHOLE (STK)")]
    [InlineData(InstrumentCatalog.EsFuture, "ES (FUT)")]
    [InlineData(InstrumentCatalog.AaplCall, "AAPL (OPT)")]
    public void Should_refuse_it_on_an_instrument_that_takes_no_fractions(int conid, string named)
    {
        var ticket = Tickets.Cash(conid, 500m) with { ManualIndicator = false };

        Assert.Equal($"Cash quantity orders are not supported for {named}", Tickets.Refusal(ticket));
    }

    [Theory]
    [InlineData("STP")]
    [InlineData("STOP_LIMIT")]
    [InlineData("MIDPRICE")]
    public void Should_refuse_an_order_type_other_than_market_or_limit(string orderType)
    {
        var ticket = Tickets.Cash(Stock, 500m, orderType, 180m) with { AuxPrice = 181m };

        Assert.Equal($"Cash quantity orders are supported for MKT and LMT orders only, not {orderType}", Tickets.Refusal(ticket));
    }

    [Fact]
    public void Should_refuse_it_in_a_bracket_or_an_oca_group()
    {
        var parent = Tickets.Cash(Stock, 500m, "LMT", 180m) with { COID = "p" };
        var child = Tickets.Of(Stock, "LMT", 1m, price: 190m, side: "SELL") with { ParentId = "p" };
        var oca = Tickets.Cash(Stock, 500m, "LMT", 180m) with { IsSingleGroup = true };

        Assert.Equal("Cash quantity orders cannot be part of a bracket or an OCA group", OrderTicketRules.CheckGroup([parent, child]));
        Assert.Equal("Cash quantity orders cannot be part of a bracket or an OCA group", OrderTicketRules.CheckGroup([oca, oca with { Price = 170m }]));
        Assert.Null(OrderTicketRules.CheckGroup([Tickets.Cash(Stock, 500m)]));
    }
}

using OrderProcessor.Simulator.Instruments;
using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Tests.Infrastructure;

namespace OrderProcessor.Simulator.Tests;

public sealed class When_a_fractional_quantity_is_checked
{
    [Theory]
    [InlineData(0.3333)]
    [InlineData(2.5)]
    [InlineData(0.0001)]
    public void Should_accept_up_to_four_decimals_on_a_fractional_eligible_stock(decimal quantity)
    {
        Assert.Null(Tickets.Refusal(Tickets.Of(265598, quantity: quantity)));
    }

    [Fact]
    public void Should_refuse_a_fifth_decimal()
    {
        Assert.Equal("Order quantity must be a multiple of 0.0001", Tickets.Refusal(Tickets.Of(265598, quantity: 0.33333m)));
    }

    [Theory]
    [InlineData(InstrumentCatalog.WholeSharesStock, "SIMWHOLE (STK)")]
    [InlineData(InstrumentCatalog.AaplCall, "AAPL (OPT)")]
    public void Should_refuse_a_fraction_on_an_instrument_that_takes_whole_units_only(int conid, string named)
    {
        Assert.Equal($"Fractional quantity 2.5 is not supported for {named}: whole units only", Tickets.Refusal(Tickets.Of(conid, quantity: 2.5m)));
        Assert.Null(Tickets.Refusal(Tickets.Of(conid, quantity: 3m)));
    }

    [Theory]
    [InlineData("500", "187.33", "2.6690")]
    [InlineData("1000", "3", "333.3333")]
    [InlineData("1000", "1.0850", "921.6589")]
    [InlineData("0.01", "200", "0")]
    public void Should_compute_the_units_a_cash_amount_buys_rounded_down_so_the_cost_never_exceeds_the_cash(string cash, string price, string units)
    {
        var c = decimal.Parse(cash, System.Globalization.CultureInfo.InvariantCulture);
        var p = decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture);

        var bought = FractionalQuantity.UnitsFor(c, p);

        Assert.Equal(decimal.Parse(units, System.Globalization.CultureInfo.InvariantCulture), bought);
        Assert.True(bought * p <= c);
        Assert.True((bought + FractionalQuantity.Step) * p > c);
    }
}

using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>The figures of fill events beyond IBKR's own: the cash a cash-quantity order's fills cost, and what is open.</summary>
public sealed class When_fill_figures_are_worked_out
{
    private static OrderSaga Cash(decimal filled, decimal? average) => new() { CashQuantity = 500.00m, FilledQuantity = filled, AveragePrice = average };

    [Theory]
    [InlineData("2.6690", "187.33", "499.98")] // 499.983770
    [InlineData("0.3333", "187.33", "62.44")] // 62.437089
    [InlineData("0.0001", "50", "0.01")] // 0.005: half a cent away from zero
    [InlineData("0", null, "0")]
    public void Should_give_the_cash_filled_to_the_cent(string filled, string? average, string cash) =>
        Assert.Equal(decimal.Parse(cash, System.Globalization.CultureInfo.InvariantCulture),
            FillFigures.FilledCash(Cash(decimal.Parse(filled, System.Globalization.CultureInfo.InvariantCulture),
                average is null ? null : decimal.Parse(average, System.Globalization.CultureInfo.InvariantCulture))));

    [Fact]
    public void Should_give_no_cash_amount_for_an_order_placed_with_a_quantity() =>
        Assert.Null(FillFigures.FilledCash(new OrderSaga { Quantity = 10, CashQuantity = null, FilledQuantity = 4, AveragePrice = 100 }));

    [Fact]
    public void Should_round_a_converted_quantity_down_so_it_never_costs_more_than_the_cash()
    {
        // 500 / 187.33 = 2.66908664...: 2.6690, never 2.6691 (2.6691 × 187.33 = 500.0022 would exceed the cash).
        Assert.Equal(2.6690m, FillFigures.RoundDown(500m / 187.33m));
        Assert.Equal(0.9999m, FillFigures.RoundDown(0.99999m));
    }

    [Fact]
    public void Should_estimate_what_a_cash_order_has_open_from_the_cash_not_spent_when_ibkr_does_not_say()
    {
        // 500.00 − 62.44 = 437.56 at 187.33 buys 2.33577..., rounded down: 2.3357.
        Assert.Equal(2.3357m, FillFigures.Remaining(Cash(0.3333m, 187.33m)));
        Assert.Equal(0.6667m, FillFigures.Remaining(new OrderSaga { Quantity = 1m, FilledQuantity = 0.3333m }));
    }

    [Theory]
    [InlineData("2.6690", "0", true)]
    [InlineData("2.6690", null, true)]
    [InlineData("1.0000", "1.6690", false)]
    [InlineData("0", null, false)]
    public void Should_tell_when_a_report_may_cover_a_whole_cash_order(string filled, string? remaining, bool covers)
    {
        var order = Cash(0, null);
        var observation = new BrokerOrderObservation("c", "1", BrokerOrderState.Unknown, decimal.Parse(filled, System.Globalization.CultureInfo.InvariantCulture),
            remaining is null ? null : decimal.Parse(remaining, System.Globalization.CultureInfo.InvariantCulture), 187.33m);
        Assert.Equal(covers, FillFigures.MayCoverTheWhole(order, observation));
    }
}

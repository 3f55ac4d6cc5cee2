using OrderProcessor.Contracts;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// A cash-quantity order's fill events carry the cash filled so far (filled × average price, to cents); IBKR's
/// fractional quantities pass through as decimals, the remaining quantity as IBKR reports it; a quantity order's fill
/// events carry none.
/// </summary>
public sealed class When_a_cash_quantity_order_fills(ITestOutputHelper output)
{
    private static OrderSaga CashOrder()
    {
        var order = Lifecycle.Submitted()[0];
        (order.Quantity, order.CashQuantity) = (null, 500m);
        return order;
    }

    private static OrderDecision Observe(OrderSaga order, string status, decimal filled, decimal remaining, decimal average) =>
        Lifecycle.Apply([order], new Observed(new BrokerOrderObservation(order.ClientOrderId, order.BrokerOrderId ?? "1000",
            BrokerOrderStates.Parse(status), filled, remaining, average)));

    [Fact]
    public void Should_report_the_cash_of_each_fill_to_cents()
    {
        var order = CashOrder();

        var partial = Lifecycle.Events<OrderPartiallyFilled>(Observe(order, "Submitted", 1.2345m, 1.2486m, 201.37m)).Single();
        var filled = Lifecycle.Events<OrderFilled>(Observe(order, "Filled", 2.4831m, 0m, 201.36m)).Single();

        output.WriteLine($"partial {partial.FilledQuantity} ({partial.RemainingQuantity} open) cash {partial.FilledCashAmount}; filled {filled.FilledQuantity} cash {filled.FilledCashAmount}");
        // 1.2345 × 201.37 = 248.591265 and 2.4831 × 201.36 = 499.997016: exact in decimal, rounded once to cents.
        Assert.Equal((1.2345m, 1.2486m, (decimal?)248.59m), (partial.FilledQuantity, partial.RemainingQuantity, partial.FilledCashAmount));
        Assert.Equal((2.4831m, (decimal?)500.00m), (filled.FilledQuantity, filled.FilledCashAmount));
    }

    [Fact]
    public void Should_report_no_cash_for_an_order_placed_with_a_quantity()
    {
        var order = Lifecycle.Submitted()[0];

        var partial = Lifecycle.Events<OrderPartiallyFilled>(Lifecycle.Observe(order, "Submitted", 4, 100m)).Single();
        var filled = Lifecycle.Events<OrderFilled>(Lifecycle.Observe(order, "Filled", 10, 100m)).Single();

        Assert.Equal(((decimal?)null, (decimal?)null), (partial.FilledCashAmount, filled.FilledCashAmount));
    }

    [Fact]
    public void Should_round_half_a_cent_away_from_zero_and_report_nothing_filled_as_zero()
    {
        static decimal? Cash(decimal filled, decimal? average) => FillFigures.FilledCash(new OrderSaga { CashQuantity = 100m, FilledQuantity = filled, AveragePrice = average });

        Assert.Equal((0.01m, 0.02m, 0m, (decimal?)null), (Cash(0.5m, 0.01m), Cash(1.5m, 0.01m), Cash(0m, null), Cash(1m, null)));
    }
}

using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// $500.00 of a stock at 187.33: IBKR converts the cash into 2.6690 units (rounded down to 0.0001) and fills them in
/// parts. Every figure is IBKR's, exact to the last decimal.
/// </summary>
public sealed class When_a_cash_quantity_order_fills_in_parts
{
    [Fact]
    public void Should_report_each_part_with_ibkrs_fractional_figures_and_the_cash_it_cost()
    {
        var order = CashQuantityOrders.Working();

        var first = CashQuantityOrders.Observe(order, "Submitted", 0.3333m, 2.3357m, 187.33m);
        var second = CashQuantityOrders.Observe(order, "Submitted", 1.0000m, 1.6690m, 187.33m);

        var (p1, p2) = (Assert.Single(Lifecycle.Events<OrderPartiallyFilled>(first)), Assert.Single(Lifecycle.Events<OrderPartiallyFilled>(second)));
        // 0.3333 × 187.33 = 62.437089: to the cent, 62.44; 1.0000 × 187.33 = 187.33.
        Assert.Equal((0.3333m, 2.3357m, 62.44m), (p1.FilledQuantity, p1.RemainingQuantity, p1.FilledCashAmount!.Value));
        Assert.Equal((1.0000m, 1.6690m, 187.33m), (p2.FilledQuantity, p2.RemainingQuantity, p2.FilledCashAmount!.Value));
        // The parts add up exactly: 0.3333 + 0.6667 is 1.0000, not 1.0001.
        Assert.Equal(1.0000m, p1.FilledQuantity + (p2.FilledQuantity - p1.FilledQuantity));
        Assert.Equal(OrderStatus.PartiallyFilled, order.Status);
    }

    [Fact]
    public void Should_end_filled_with_ibkrs_quantity_and_a_cash_amount_within_the_cash()
    {
        var order = CashQuantityOrders.Working();
        CashQuantityOrders.Observe(order, "Submitted", 0.3333m, 2.3357m, 187.33m);

        var decision = CashQuantityOrders.Observe(order, "Filled", 2.6690m, 0m, 187.33m);

        var filled = Assert.Single(Lifecycle.Events<OrderFilled>(decision));
        // 2.6690 × 187.33 = 499.983770: 499.98, within the $500.00 asked for.
        Assert.Equal((2.6690m, 187.33m, 499.98m), (filled.FilledQuantity, filled.AveragePrice!.Value, filled.FilledCashAmount!.Value));
        Assert.True(filled.FilledCashAmount <= order.CashQuantity);
        Assert.Equal(OrderStatus.Filled, order.Status);
    }

    [Fact]
    public void Should_not_value_a_fill_reported_without_its_average_price_at_the_old_one()
    {
        // A sparse report (a stream delta) with more filled and no average: the average of the first part would put
        // 2.6690 units at 187.33 whatever they cost. The cash amount is unknown until IBKR gives the average again.
        var order = CashQuantityOrders.Working();
        CashQuantityOrders.Observe(order, "Submitted", 0.3333m, 2.3357m, 187.33m);

        var sparse = CashQuantityOrders.Observe(order, "Submitted", 2.0000m, 0.6690m, null);
        var priced = CashQuantityOrders.Observe(order, "Submitted", 2.0000m, 0.6690m, 187.40m);

        var part = Assert.Single(Lifecycle.Events<OrderPartiallyFilled>(sparse));
        Assert.Equal((2.0000m, (decimal?)null, (decimal?)null), (part.FilledQuantity, part.AveragePrice, part.FilledCashAmount));
        Assert.Empty(Lifecycle.Events<OrderPartiallyFilled>(priced));
        Assert.Equal(187.40m, order.AveragePrice);
    }

    [Fact]
    public void Should_not_call_it_filled_until_ibkr_says_so_even_with_nothing_open()
    {
        var order = CashQuantityOrders.Working();

        var decision = CashQuantityOrders.Observe(order, "Submitted", 2.6690m, 0m, 187.33m);

        Assert.Equal(["OrderPartiallyFilled"], Lifecycle.EventNames(decision));
        Assert.Equal(OrderStatus.PartiallyFilled, order.Status);
    }

    [Fact]
    public void Should_never_take_a_smaller_fill_reported_late()
    {
        var order = CashQuantityOrders.Working();
        CashQuantityOrders.Observe(order, "Submitted", 1.0000m, 1.6690m, 187.33m);

        var late = CashQuantityOrders.Observe(order, "Submitted", 0.3333m, 2.3357m, 187.30m);

        Assert.True(late.IsEmpty);
        Assert.Equal((1.0000m, 187.33m), (order.FilledQuantity, order.AveragePrice!.Value));
    }

    [Fact]
    public void Should_report_the_cash_of_what_filled_before_it_was_cancelled()
    {
        var order = CashQuantityOrders.Working();

        var decision = CashQuantityOrders.Observe(order, "Cancelled", 0.6667m, 0m, 187.33m);

        var partial = Assert.Single(Lifecycle.Events<OrderPartiallyFilled>(decision));
        // 0.6667 × 187.33 = 124.892911: 124.89.
        Assert.Equal((0.6667m, 0m, 124.89m), (partial.FilledQuantity, partial.RemainingQuantity, partial.FilledCashAmount!.Value));
        Assert.Equal(0.6667m, Assert.Single(Lifecycle.Events<OrderCancelled>(decision)).FilledQuantity);
    }
}

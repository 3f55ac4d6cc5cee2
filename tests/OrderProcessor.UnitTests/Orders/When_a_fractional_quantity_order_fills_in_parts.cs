using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>An order of 1 unit filled as 0.3333 and 0.6667: the figures stay exact, and it carries no cash amount.</summary>
public sealed class When_a_fractional_quantity_order_fills_in_parts
{
    [Fact]
    public void Should_report_what_is_open_exactly_and_no_cash_amount()
    {
        var order = Lifecycle.Submitted(When_a_place_order_is_validated.Valid() with { Quantity = 1m })[0];
        Lifecycle.Observe(order, "Submitted");

        var partial = Lifecycle.Apply([order], new Observed(new BrokerOrderObservation(order.ClientOrderId, "1000", BrokerOrderState.Submitted, 0.3333m, null, 187.33m)));
        var filled = Lifecycle.Observe(order, "Filled", 1.0000m, 187.34m);

        var p = Assert.Single(Lifecycle.Events<OrderPartiallyFilled>(partial));
        // IBKR did not say what is open: the quantity less what filled, 0.6667 exactly.
        Assert.Equal((0.3333m, 0.6667m), (p.FilledQuantity, p.RemainingQuantity));
        Assert.Null(p.FilledCashAmount);
        var f = Assert.Single(Lifecycle.Events<OrderFilled>(filled));
        Assert.Equal(1.0000m, f.FilledQuantity);
        Assert.Null(f.FilledCashAmount);
    }
}

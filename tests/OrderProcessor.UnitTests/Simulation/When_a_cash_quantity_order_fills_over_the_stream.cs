using OrderProcessor.Contracts;
using OrderProcessor.LifecycleSimulation.Schedule;
using OrderProcessor.Orders;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Simulation;

/// <summary>
/// $500.00 of a stock placed at market: IBKR converts the cash at its execution price into units rounded down to
/// 0.0001, fills a third of them, then the rest. The processor reports both fills with IBKR's exact figures and the cash
/// they cost, and ends Filled with what IBKR's executions sum to.
/// </summary>
public sealed class When_a_cash_quantity_order_fills_over_the_stream(ITestOutputHelper output)
{
    [Fact]
    public void Should_report_the_fractional_parts_exactly_and_the_cash_within_the_cash_quantity()
    {
        using var script = new StreamScript(terms: spec => spec with { Sizing = OrderSizing.Cash, Amount = 500.00m });
        script.Place();
        script.Connect();
        script.Fill(partly: true);
        script.DeliverAll();
        script.Fill();
        script.DeliverAll();
        script.Run(new Advance(TimeSpan.FromSeconds(1)));

        var atIbkr = script.AtIbkr;
        var price = atIbkr.ExecutionPrice!.Value;
        var units = FillFigures.RoundDown(500.00m / price);
        var events = script.World.Db.Events.Where(e => e.OrderId == script.Spec.OrderId).Select(e => e.Event).ToList();
        var cash = events.Select(e => e switch { OrderPartiallyFilled p => p.FilledCashAmount, OrderFilled f => f.FilledCashAmount, _ => null }).OfType<decimal>().ToList();
        output.WriteLine($"price {price}, units {units}, IBKR {atIbkr.State} {atIbkr.Filled}; events [{string.Join(", ", script.Fills)}], cash [{string.Join(", ", cash)}]");

        Assert.Equal((BrokerOrderState.Filled, units), (atIbkr.State, atIbkr.Filled));
        Assert.Equal([(nameof(OrderPartiallyFilled), FillFigures.RoundDown(units / 3)), (nameof(OrderFilled), units)], script.Fills);
        Assert.Equal((OrderStatus.Filled, units, (decimal?)null, 500.00m), (script.Saga.Status, script.Saga.FilledQuantity, script.Saga.Quantity, script.Saga.CashQuantity!.Value));
        Assert.Equal(Math.Round(units * price, 2, MidpointRounding.AwayFromZero), cash[^1]);
        Assert.True(cash[^1] <= 500.00m);
        Assert.Empty(script.Violations());
    }
}

using OrderProcessor.Brokerage.Ibkr.Orders;
using OrderProcessor.Execution;
using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Execution;

/// <summary>
/// A reconciliation finds an order only in the trades: a quantity order is filled when its executions add up to its
/// quantity; a cash-quantity order has none, so its executions never say filled and nothing is known to be open.
/// </summary>
public sealed class When_a_cash_quantity_order_is_found_in_the_trades
{
    private static Trade Fill(string id, string coid, decimal size, decimal price) => new() { ExecutionId = id, OrderRef = coid, OrderId = "9", Size = size, Price = price };

    [Fact]
    public void Should_read_its_fractional_executions_exactly_as_submitted_with_nothing_known_open()
    {
        var trades = new[] { Fill("e1", "op-cash", 0.3333m, 187.33m), Fill("e2", "op-cash", 2.3357m, 187.33m), Fill("e3", "op-qty", 0.6667m, 100m), Fill("e4", "op-qty", 0.3333m, 100m) };

        var observations = OutcomeTranslator.FromTrades(trades, new Dictionary<string, decimal?> { ["op-cash"] = null, ["op-qty"] = 1m })
            .ToDictionary(o => o.ClientOrderId);

        Assert.Equal((BrokerOrderState.Submitted, 2.6690m, (decimal?)null, 187.33m),
            (observations["op-cash"].State, observations["op-cash"].FilledQuantity, observations["op-cash"].RemainingQuantity, observations["op-cash"].AveragePrice!.Value));
        // 0.6667 + 0.3333 is exactly the 1 unit ordered: filled.
        Assert.Equal((BrokerOrderState.Filled, 1.0000m, (decimal?)0m), (observations["op-qty"].State, observations["op-qty"].FilledQuantity, observations["op-qty"].RemainingQuantity));
    }
}

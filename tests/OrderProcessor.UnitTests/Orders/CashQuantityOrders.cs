using OrderProcessor.Orders;

namespace OrderProcessor.UnitTests.Orders;

/// <summary>
/// Orders placed with a cash quantity, in a given lifecycle state. Built through the real state machine as a quantity
/// order, then given the persisted shape of a cash-quantity order (a cash amount, no quantity): what the transitions
/// read is the saga, whichever validator let the command in.
/// </summary>
internal static class CashQuantityOrders
{
    /// <summary>A cash-quantity order IBKR has taken and works ($500.00 of a stock).</summary>
    public static OrderSaga Working(decimal cash = 500.00m)
    {
        var order = Lifecycle.Submitted()[0];
        (order.Quantity, order.CashQuantity) = (null, cash);
        Lifecycle.Observe(order, "Submitted");
        return order;
    }

    /// <summary>What IBKR reports of it: its status, filled so far, what is still open and the average price.</summary>
    public static OrderDecision Observe(OrderSaga order, string status, decimal filled, decimal? remaining, decimal? average) =>
        Lifecycle.Apply([order], new Observed(new BrokerOrderObservation(order.ClientOrderId, order.BrokerOrderId ?? "1000",
            BrokerOrderStates.Parse(status), filled, remaining, average)));
}

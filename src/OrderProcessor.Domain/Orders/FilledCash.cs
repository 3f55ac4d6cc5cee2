using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The cash amount a cash-quantity order has filled, for its fill events: filled quantity × average price as IBKR
/// reports them, rounded to cents (to even, as <see cref="Math.Round(decimal, int)"/> does). IBKR buys at most the cash
/// it was given, so the product of its 4-decimal quantity and its average price is the cash spent up to a fraction of a
/// cent; a currency amount is reported in cents. Null for orders placed with a quantity, and while nothing has a price.
/// </summary>
public static class FilledCash
{
    public static decimal? Of(OrderSaga order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.CashQuantity is not null && order.AveragePrice is { } price
            ? Math.Round(order.FilledQuantity * price, 2)
            : null;
    }

    /// <summary>
    /// <paramref name="orderEvent"/> with the filled cash amount of <paramref name="order"/> when it is a fill event;
    /// every event of an order passes here (<see cref="Transition.Emit"/>), so no rule can leave it out.
    /// </summary>
    public static IOrderEvent Stamped(OrderSaga order, IOrderEvent orderEvent) => orderEvent switch
    {
        OrderFilled filled when filled.FilledCashAmount is null => filled with { FilledCashAmount = Of(order) },
        OrderPartiallyFilled partFilled when partFilled.FilledCashAmount is null => partFilled with { FilledCashAmount = Of(order) },
        _ => orderEvent,
    };
}

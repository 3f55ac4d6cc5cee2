using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The cash amount a cash-quantity order has filled, for its fill events: filled quantity × average price as IBKR
/// reports them, to the cent, half a cent away from zero (the same figure as Part L's FillFigures.FilledCash: keep one of
/// the two when merging). IBKR buys at most the cash it was given, so the product of its 4-decimal quantity and its
/// average price is the cash spent up to a fraction of a cent. 0 before anything filled; null for orders placed with a
/// quantity, and for a fill without an average price.
/// </summary>
public static class FilledCash
{
    public static decimal? Of(OrderSaga order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.CashQuantity is null)
        {
            return null;
        }

        if (order.FilledQuantity == 0)
        {
            return 0m;
        }

        return order.AveragePrice is { } price ? Math.Round(order.FilledQuantity * price, 2, MidpointRounding.AwayFromZero) : null;
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

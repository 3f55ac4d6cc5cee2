using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The cash amount a cash-quantity order has filled, stamped on every fill event that does not carry it yet: the figure
/// of <see cref="FillFigures.FilledCash"/> (filled quantity × average price as IBKR reports them, to the cent).
/// </summary>
public static class FilledCash
{
    /// <summary>
    /// <paramref name="orderEvent"/> with the filled cash amount of <paramref name="order"/> when it is a fill event;
    /// every event of an order passes here (<see cref="Transition.Emit"/>), so no rule can leave it out.
    /// </summary>
    public static IOrderEvent Stamped(OrderSaga order, IOrderEvent orderEvent) => orderEvent switch
    {
        OrderFilled filled when filled.FilledCashAmount is null => filled with { FilledCashAmount = FillFigures.FilledCash(order) },
        OrderPartiallyFilled partFilled when partFilled.FilledCashAmount is null => partFilled with { FilledCashAmount = FillFigures.FilledCash(order) },
        _ => orderEvent,
    };
}

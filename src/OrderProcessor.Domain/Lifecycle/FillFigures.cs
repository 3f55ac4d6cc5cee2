namespace OrderProcessor.Orders;

/// <summary>
/// What an order's fill events say beyond IBKR's cumulative filled quantity and average price, for orders placed with a
/// quantity and with a cash quantity alike. An order placed with a cash quantity has no quantity of its own: IBKR
/// converts the cash into fractional units as it fills, so how much it comes to is IBKR's to report (its
/// <c>totalSize</c>, <c>remainingQuantity</c>, the trades' sizes) and never something the processor works out to decide
/// a state. All figures are <see cref="decimal"/>: a double would turn 0.3333 + 0.6667 into something other than 1.
/// </summary>
public static class FillFigures
{
    /// <summary>IBKR's precision of a fractional quantity: 4 decimals (it fills a cash quantity in units of 0.0001).</summary>
    public const int QuantityDecimals = 4;

    /// <summary>A cash amount is reported in cents.</summary>
    public const int CashDecimals = 2;

    /// <summary>True for an order placed with a cash quantity (IBKR's <c>cashQty</c>) instead of a quantity.</summary>
    public static bool IsCashQuantity(OrderSaga order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.Quantity is null && order.CashQuantity is not null;
    }

    /// <summary>
    /// For an order placed with a cash quantity: the cash its fills cost, filled quantity × average price as IBKR reports
    /// them, to the cent (half a cent away from zero). Null for an order placed with a quantity, and for a cash order
    /// filled in part whose average price IBKR has not given. With IBKR's exact figures this never exceeds the cash
    /// quantity: IBKR rounds the units down to 0.0001 so the cost stays within the cash, and a figure at or below a whole
    /// cent amount rounds to at most that amount. An average price IBKR rounded adds at most half its last decimal per
    /// unit before the cent rounding.
    /// </summary>
    public static decimal? FilledCash(OrderSaga order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (!IsCashQuantity(order))
        {
            return null;
        }

        if (order.FilledQuantity == 0)
        {
            return 0m;
        }

        return order.AveragePrice is { } average
            ? Math.Round(order.FilledQuantity * average, CashDecimals, MidpointRounding.AwayFromZero)
            : null;
    }

    /// <summary>
    /// What is still open when IBKR did not say (a report from the trades alone): for an order placed with a quantity,
    /// the quantity less what filled; for a cash-quantity order, the units the cash not yet spent buys at the average price
    /// so far, rounded down to IBKR's 0.0001 (an estimate for the event only: no state is decided on it; IBKR's own
    /// figure replaces it with its next report).
    /// </summary>
    public static decimal Remaining(OrderSaga order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Quantity is { } quantity)
        {
            return Math.Max(0, quantity - order.FilledQuantity);
        }

        if (order.CashQuantity is { } cash && FilledCash(order) is { } spent && order.AveragePrice is > 0 and var average)
        {
            return RoundDown(Math.Max(0, cash - spent) / average);
        }

        return 0;
    }

    /// <summary>
    /// True when IBKR's report covers the whole order while its status may not say so yet: for an order placed with a
    /// quantity, filled reaches it; for a cash-quantity order, IBKR reports something filled and nothing open, or does
    /// not say what is open (its total is IBKR's alone to tell, so an unknown remainder may be nothing).
    /// </summary>
    public static bool MayCoverTheWhole(OrderSaga order, BrokerOrderObservation observation)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(observation);
        if (order.Quantity is { } quantity)
        {
            return quantity > 0 && observation.FilledQuantity >= quantity;
        }

        return IsCashQuantity(order) && observation.FilledQuantity > 0 && observation.RemainingQuantity is null or 0;
    }

    /// <summary>Rounds a quantity down to IBKR's 0.0001 (never up: a cash amount converted so must not cost more than the cash).</summary>
    public static decimal RoundDown(decimal quantity) => Math.Round(quantity, QuantityDecimals, MidpointRounding.ToZero);
}

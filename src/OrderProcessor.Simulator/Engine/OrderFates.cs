using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Rules;
using OrderProcessor.Simulator.Sessions;
using OrderProcessor.Simulator.Streaming;

namespace OrderProcessor.Simulator.Engine;

/// <summary>
/// Makes an order Inactive, cancelled by the exchange, or (partly) filled on demand, now or at the moment its user's
/// brokerage session ends (an order that ends during a session change).
/// </summary>
public sealed class OrderFates(OrderBook book, UserStateRegistry users, MarketPrices market, SimulatorClock clock, OrderStreamHub stream)
{
    /// <summary>
    /// Applies <paramref name="fate"/> to the order named by <paramref name="key"/> (IBKR order id or cOID). A fill takes
    /// <paramref name="quantity"/> (default: all that remains) at <paramref name="price"/> (default: the reference price).
    /// With <paramref name="whenNoSession"/>, it waits until the user has no session if one exists now.
    /// </summary>
    public FateOutcome Apply(string key, OrderFate fate, decimal? quantity = null, decimal? price = null, bool whenNoSession = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (quantity is <= 0 || price is <= 0)
            throw new ArgumentOutOfRangeException(nameof(quantity), "quantity and price must be positive when given");
        var order = book.FindByKey(key);
        if (order is null)
            return FateOutcome.NotFound;
        if (fate == OrderFate.Fill && quantity is not null && WouldSplitAllOrNone(order, quantity.Value, price))
            return FateOutcome.AllOrNoneNotSplit;
        if (fate == OrderFate.Fill && quantity is { } q && !order.Instrument.FractionalEligible && !FractionalQuantity.IsWhole(q))
            return FateOutcome.WholeUnitsOnly;
        var user = users.Get(order.UserId);
        lock (user.Gate)
        {
            if (whenNoSession && users.LiveSession(user) is not null)
            {
                lock (book.Gate)
                {
                    if (order.IsTerminal)
                        return FateOutcome.AlreadyEnded;
                }

                user.WhenNoSession(at => Happen(order, fate, quantity, price, at));
                return FateOutcome.Deferred;
            }

            return Happen(order, fate, quantity, price, clock.GetUtcNow()) ? FateOutcome.Done : FateOutcome.AlreadyEnded;
        }
    }

    /// <summary>An all-or-none order fills all at once: a fill of less than all that remains is refused.</summary>
    private bool WouldSplitAllOrNone(SimOrder order, decimal quantity, decimal? price)
    {
        lock (book.Gate)
            return order.AllOrNone && !order.IsTerminal && quantity < order.RemainingAt(price ?? FillPrices.Of(order, market));
    }

    private bool Happen(SimOrder order, OrderFate fate, decimal? quantity, decimal? price, DateTimeOffset at)
    {
        lock (book.Gate)
        {
            if (order.IsTerminal)
                return false;
            switch (fate)
            {
                case OrderFate.Inactive:
                    OrderEndings.Deactivate(book, order, at);
                    break;
                case OrderFate.CancelledByExchange:
                    OrderEndings.Cancel(book, order, at);
                    break;
                default:
                    order.AwaitingParent = false;
                    var fillPrice = price ?? FillPrices.Of(order, market);
                    var available = order.RemainingAt(fillPrice);
                    if (available > 0)
                    {
                        book.ApplyFill(order, Math.Min(quantity ?? available, available), fillPrice, at);
                        OrderEndings.CancelOcaSiblings(book, order, at);
                    }
                    else if (order.IsCashQuantity && order.FilledQuantity > 0)
                    {
                        book.CompleteSpentCashOrder(order, at);
                    }

                    break;
            }

            stream.Flush();
            return true;
        }
    }
}

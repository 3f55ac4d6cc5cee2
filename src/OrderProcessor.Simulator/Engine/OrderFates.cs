using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Orders;
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
                    book.ApplyFill(order, Math.Min(quantity ?? order.Remaining, order.Remaining), price ?? market.PriceOf(order.Conid), at);
                    OrderEndings.CancelOcaSiblings(book, order, at);
                    break;
            }

            stream.Flush();
            return true;
        }
    }
}

using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;
using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Streaming;

namespace OrderProcessor.Simulator.Engine;

/// <summary>
/// Moves the market one tick and works every open order against it: cancels requested earlier, bracket children
/// whose parent filled, market orders, limit/stop/trailing orders whose price was crossed, IOC remainders, OCA siblings.
/// </summary>
public sealed class OrderEngine(
    OrderBook book, MarketPrices market, IOptions<SimulatorOptions> options, SimulatorClock time, OrderStreamHub stream, ILogger<OrderEngine> logger)
{
    public void Tick()
    {
        var now = time.GetUtcNow();
        lock (book.Gate)
        {
            market.Advance();
            foreach (var order in book.OpenOrders.ToList())
            {
                if (order.IsTerminal)
                    continue; // an OCA sibling filled earlier in this tick
                if (order.CancelRequested)
                {
                    Cancel(order, now);
                    continue;
                }

                if (order.AwaitingParent)
                {
                    ActivateOrCancelChild(order, now);
                    continue;
                }

                Work(order, now);
            }

            book.CompactOpenOrders();
        }

        stream.Flush();
    }

    /// <summary>
    /// Works just-accepted market orders now (<see cref="SimulatorOptions.FillMarketOrdersOnAccept"/>) instead of on the next
    /// tick. The caller flushes the stream.
    /// </summary>
    public void FillMarketOrdersNow(IEnumerable<SimOrder> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        var now = time.GetUtcNow();
        lock (book.Gate)
        {
            foreach (var order in accepted)
            {
                if (order.OrderType == OrderTypes.Market && !order.AwaitingParent && !order.IsTerminal && !order.CancelRequested)
                    Work(order, now);
            }
        }
    }

    private void ActivateOrCancelChild(SimOrder child, DateTimeOffset now)
    {
        var parent = child.ParentOrderId is { } id ? book.Find(id) : null;
        if (parent is null || parent.Status is OrderStatuses.Cancelled or OrderStatuses.Inactive)
        {
            Cancel(child, now);
            return;
        }

        if (parent.Status != OrderStatuses.Filled)
            return;
        child.AwaitingParent = false;
        child.Status = OrderTypes.IsStopLike(child.OrderType) ? OrderStatuses.PreSubmitted : OrderStatuses.Submitted;
        child.LastChangeAt = now;
        book.MarkChanged(child);
    }

    private void Work(SimOrder order, DateTimeOffset now)
    {
        var price = FillPrices.Of(order, market);
        var firstLook = !order.EvaluatedOnce;
        order.EvaluatedOnce = true;
        if (Executable(order, price))
        {
            var available = order.RemainingAt(price);
            if (available > 0)
            {
                var slice = Slice(order, available);
                book.ApplyFill(order, slice, price, now);
                logger.LogDebug("Order {OrderId} filled {Quantity} at {Price}", order.OrderId, slice, price);
                OrderEndings.CancelOcaSiblings(book, order, now);
            }
            else if (order.IsCashQuantity && order.FilledQuantity > 0)
            {
                book.CompleteSpentCashOrder(order, now);
            }
        }

        // What an IOC order did not fill at once, the exchange cancels: Cancelled without a cancel request.
        if (firstLook && order.Tif == "IOC" && !order.IsTerminal)
            Cancel(order, now);
    }

    /// <summary>
    /// How much of <paramref name="available"/> one tick fills: all of it for an all-or-none order (never a partial
    /// fill) or a small order; else half the order's size, rounded up to a whole unit, so a large order fills in parts.
    /// Every slice is an exact decimal, so the parts always add up to the total.
    /// </summary>
    private decimal Slice(SimOrder order, decimal available) =>
        order.AllOrNone || order.Quantity <= options.Value.SingleSliceMaxQuantity
            ? available
            : Math.Min(available, Math.Ceiling(order.Quantity / 2m));

    private bool Executable(SimOrder order, decimal price)
    {
        var buy = order.Side == "BUY";
        switch (order.OrderType)
        {
            case OrderTypes.Market:
                return true;
            case OrderTypes.MidPrice:
                // price is the quote's midpoint here; the limit price is a cap it must not cross.
                return order.Price is not { } cap || (buy ? price <= cap : price >= cap);
            case OrderTypes.Limit:
                return LimitCrossed(buy, price, order.Price!.Value);
            case OrderTypes.Stop:
                return StopHit(buy, price, order.Price!.Value);
            case OrderTypes.StopLimit:
                if (!order.Triggered && StopHit(buy, price, order.AuxPrice!.Value))
                    Trigger(order);
                return order.Triggered && LimitCrossed(buy, price, order.Price!.Value);
            case OrderTypes.Trail:
                return TrailHit(order, buy, price, order.Price);
            case OrderTypes.TrailLimit:
                if (!order.Triggered && TrailHit(order, buy, price, order.AuxPrice))
                    Trigger(order);
                return order.Triggered && LimitCrossed(buy, price, order.Price!.Value);
            default:
                return false;
        }
    }

    private void Trigger(SimOrder order)
    {
        order.Triggered = true;
        order.Status = OrderStatuses.Submitted;
        book.MarkChanged(order);
    }

    private static bool LimitCrossed(bool buy, decimal price, decimal limit) => buy ? price <= limit : price >= limit;

    private static bool StopHit(bool buy, decimal price, decimal stop) => buy ? price >= stop : price <= stop;

    /// <summary>A trailing stop follows the price by the trailing amount (or percentage) and never moves back.</summary>
    private static bool TrailHit(SimOrder order, bool buy, decimal price, decimal? initialStop)
    {
        var offset = order.TrailingType == "%" ? price * order.TrailingAmt!.Value / 100m : order.TrailingAmt!.Value;
        var candidate = buy ? price + offset : price - offset;
        var stop = order.TrailingStop ?? initialStop ?? candidate;
        stop = buy ? Math.Min(stop, candidate) : Math.Max(stop, candidate);
        order.TrailingStop = stop;
        return StopHit(buy, price, stop);
    }

    private void Cancel(SimOrder order, DateTimeOffset now) => OrderEndings.Cancel(book, order, now);
}

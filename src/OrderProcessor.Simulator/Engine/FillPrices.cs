using OrderProcessor.Simulator.Market;
using OrderProcessor.Simulator.Orders;

namespace OrderProcessor.Simulator.Engine;

/// <summary>Where an order fills: a MIDPRICE order at the midpoint of bid and ask, every other order at the reference price.</summary>
public static class FillPrices
{
    public static decimal Of(SimOrder order, MarketPrices market)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(market);
        return order.OrderType == OrderTypes.MidPrice ? market.QuoteOf(order.Conid).Midpoint : market.PriceOf(order.Conid);
    }
}

using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Brokerage.Gateway;

/// <summary>
/// Our ticket → IBKR's singleOrderSubmissionRequest (case-sensitive values, exact JSON types). Flags are sent only when
/// set (false is IBKR's default), except <c>manualIndicator</c>, whose false means "an automated order" and is sent.
/// </summary>
internal static class OrderTicketMapper
{
    public static SingleOrderSubmissionRequest ToIbkr(OrderTicket ticket, string accountId) => new()
    {
        AcctId = accountId,
        Conid = ticket.Conid,
        SecType = ticket.SecType,
        Conidex = ticket.Conidex,
        ListingExchange = ticket.ListingExchange,
        COID = ticket.ClientOrderId,
        ParentId = ticket.ParentClientOrderId,
        IsSingleGroup = ticket.IsSingleGroup ? true : null,
        OutsideRth = ticket.OutsideRegularTradingHours ? true : null,
        OrderType = ticket.OrderType switch
        {
            BrokerOrderType.Market => "MKT",
            BrokerOrderType.Limit => "LMT",
            BrokerOrderType.Stop => "STP",
            BrokerOrderType.StopLimit => "STOP_LIMIT",
            BrokerOrderType.Trail => "TRAIL",
            BrokerOrderType.TrailLimit => "TRAILLMT",
            BrokerOrderType.MidPrice => "MIDPRICE",
            _ => throw new ArgumentOutOfRangeException(nameof(ticket), ticket.OrderType, "Unknown order type."),
        },
        Price = ticket.Price,
        AuxPrice = ticket.AuxPrice,
        TrailingAmt = ticket.TrailingAmount,
        TrailingType = ticket.TrailingType switch
        {
            null => null,
            BrokerTrailingType.Amount => "amt",
            BrokerTrailingType.Percent => "%",
            _ => throw new ArgumentOutOfRangeException(nameof(ticket), ticket.TrailingType, "Unknown trailing type."),
        },
        Side = ticket.Side == BrokerOrderSide.Buy ? "BUY" : "SELL",
        Ticker = ticket.Ticker,
        Tif = ticket.TimeInForce switch
        {
            BrokerTimeInForce.Day => "DAY",
            BrokerTimeInForce.Gtc => "GTC",
            BrokerTimeInForce.Ioc => "IOC",
            BrokerTimeInForce.Opg => "OPG",
            BrokerTimeInForce.Ovt => "OVT",
            BrokerTimeInForce.Ond => "OND",
            BrokerTimeInForce.Pax => "PAX",
            _ => throw new ArgumentOutOfRangeException(nameof(ticket), ticket.TimeInForce, "Unknown time in force."),
        },
        Quantity = ticket.Quantity,
        CashQty = ticket.CashQuantity,
        Strategy = ticket.Strategy,
        // IBKR takes the parameters as one object of the algorithm's names; an algorithm without parameters sends none.
        StrategyParameters = ticket.Strategy is not null && ticket.StrategyParameters is { Count: > 0 } parameters
            ? parameters.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal)
            : null,
        UseAdaptive = ticket.UseAdaptive ? true : null,
        AllOrNone = ticket.AllOrNone ? true : null,
        ManualIndicator = ticket.ManualIndicator,
        IsCcyConv = ticket.CurrencyConversion ? true : null,
    };
}

using OrderProcessor.Brokerage.Gateway;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

internal static class Tickets
{
    public const int Conid = 265598;

    public static string NewClientOrderId() => "t-" + Guid.NewGuid().ToString("N")[..20];

    public static OrderTicket Market(decimal quantity = 1, BrokerOrderSide side = BrokerOrderSide.Buy, string? clientOrderId = null) => new()
    {
        ClientOrderId = clientOrderId ?? NewClientOrderId(),
        Conid = Conid,
        Side = side,
        OrderType = BrokerOrderType.Market,
        Quantity = quantity,
    };

    public static OrderTicket Limit(decimal price, decimal quantity = 1, BrokerOrderSide side = BrokerOrderSide.Buy, string? clientOrderId = null) => new()
    {
        ClientOrderId = clientOrderId ?? NewClientOrderId(),
        Conid = Conid,
        Side = side,
        OrderType = BrokerOrderType.Limit,
        Price = price,
        Quantity = quantity,
        TimeInForce = BrokerTimeInForce.Gtc,
    };
}

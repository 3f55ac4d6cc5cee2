using OrderProcessor.Contracts;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>Valid commands to start from; tests change what their scenario is about.</summary>
public static class TestOrders
{
    public static PlaceOrder Limit(string userId = "alice", decimal quantity = 10, decimal limitPrice = 101.25m) => new()
    {
        OrderId = Guid.NewGuid(),
        UserId = userId,
        AccountId = "DU1234567",
        Conid = 265598,
        Side = OrderSide.Buy,
        Quantity = quantity,
        OrderType = OrderType.Limit,
        LimitPrice = limitPrice,
        TimeInForce = TimeInForce.Day,
    };

    public static PlaceOrder Market(string userId = "alice", decimal quantity = 5) => Limit(userId, quantity) with
    {
        OrderType = OrderType.Market,
        LimitPrice = null,
    };
}

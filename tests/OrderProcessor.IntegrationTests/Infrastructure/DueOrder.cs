using OrderProcessor.Contracts;
using OrderProcessor.Orders;

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>An order row as the claim query sees it (a market order of 1 on DU1), for tests of the store's statements.</summary>
public static class DueOrder
{
    public static OrderSaga Of(string user, OrderStatus status, OrderWork work, DateTimeOffset created, DateTimeOffset due, DateTimeOffset? heldSince = null) => new()
    {
        OrderId = Guid.NewGuid(),
        ClientOrderId = ClientOrderId.Prefix + Guid.NewGuid().ToString("N")[..16],
        UserId = user,
        AccountId = "DU1",
        Conid = 265598,
        Side = OrderSide.Buy,
        Quantity = 1,
        OrderType = OrderType.Market,
        Status = status,
        WorkDue = work,
        WorkDueAt = due,
        HeldSince = heldSince,
        CommandFingerprint = "test",
        CorrelationId = Guid.NewGuid(),
        CreatedAt = created,
        UpdatedAt = created,
    };
}

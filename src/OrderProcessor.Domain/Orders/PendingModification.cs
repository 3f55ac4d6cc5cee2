using System.Text.Json;
using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>The modification waiting to be sent, kept on the order as the ModifyOrder's JSON.</summary>
public static class PendingModification
{
    public static ModifyOrder? Of(OrderSaga order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return order.PendingModification is null ? null : JsonSerializer.Deserialize<ModifyOrder>(order.PendingModification, ContractJson.Options);
    }
}

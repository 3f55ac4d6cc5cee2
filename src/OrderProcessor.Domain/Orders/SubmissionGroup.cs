namespace OrderProcessor.Orders;

/// <summary>A submission group: the leader, then the orders its submission carries (bracket legs, OCA members) in cOID order.</summary>
public static class SubmissionGroup
{
    public static List<OrderSaga> Of(OrderSaga leader, IEnumerable<OrderSaga> orders)
    {
        ArgumentNullException.ThrowIfNull(leader);
        return [leader, .. orders.Where(o => o.SubmittedWithOrderId == leader.OrderId && o.OrderId != leader.OrderId).OrderBy(o => o.ClientOrderId, StringComparer.Ordinal)];
    }
}

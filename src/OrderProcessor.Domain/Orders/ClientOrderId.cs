namespace OrderProcessor.Orders;

/// <summary>
/// IBKR's client order id (<c>cOID</c>, later <c>order_ref</c> in live orders) for an order. Derived from the order id
/// alone, so every attempt to place the same order carries the same cOID and IBKR refuses a second copy.
/// </summary>
public static class ClientOrderId
{
    public const string Prefix = "op-";

    public static string For(Guid orderId) => Prefix + orderId.ToString("N");
}

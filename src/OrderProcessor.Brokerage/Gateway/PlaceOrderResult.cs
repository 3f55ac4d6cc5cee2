namespace OrderProcessor.Brokerage.Gateway;

/// <summary>The business outcome of placing (or modifying) an order. Transport and session failures are exceptions instead.</summary>
public sealed record PlaceOrderResult(
    PlaceOrderOutcome Outcome,
    IReadOnlyList<PlacedOrder> Orders,
    OrderRejection? Rejection,
    IReadOnlyList<string> ConfirmedQuestionIds)
{
    public static PlaceOrderResult Accepted(IReadOnlyList<PlacedOrder> orders, IReadOnlyList<string> confirmed) =>
        new(PlaceOrderOutcome.Accepted, orders, null, confirmed);

    public static PlaceOrderResult Rejected(OrderRejection rejection, IReadOnlyList<string> confirmed) =>
        new(PlaceOrderOutcome.Rejected, [], rejection, confirmed);

    public static PlaceOrderResult AlreadyRegistered(string text) =>
        new(PlaceOrderOutcome.AlreadyRegistered, [], new OrderRejection(text, []), []);

    /// <summary>IBKR's order id of the ticket with this cOID, if accepted.</summary>
    public string? OrderIdOf(string clientOrderId) =>
        Orders.FirstOrDefault(order => string.Equals(order.ClientOrderId, clientOrderId, StringComparison.Ordinal))?.OrderId;
}

namespace OrderProcessor.Brokerage.Gateway;

/// <summary>
/// The business outcome of placing (or modifying) an order. Transport and session failures are exceptions instead.
/// A bracket or OCA request can be accepted in part: <see cref="Orders"/> then holds the tickets IBKR took and
/// <see cref="RejectedTickets"/> those it refused, each with IBKR's text.
/// </summary>
public sealed record PlaceOrderResult(
    PlaceOrderOutcome Outcome,
    IReadOnlyList<PlacedOrder> Orders,
    OrderRejection? Rejection,
    IReadOnlyList<string> ConfirmedQuestionIds)
{
    /// <summary>Tickets of an accepted request that IBKR refused on their own (partial acceptance of a group).</summary>
    public IReadOnlyList<TicketRejection> RejectedTickets { get; init; } = [];

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

namespace OrderProcessor.Orders;

/// <summary>
/// A CancelOrder that arrived before its PlaceOrder (the two travel on different queues, so a backlog can reorder
/// them). Kept for a while; if the PlaceOrder arrives, the order is cancelled before anything is sent. An early cancel
/// must win.
/// </summary>
public sealed record EarlyCancel(Guid OrderId, string UserId, string Reason, DateTimeOffset ReceivedAt);

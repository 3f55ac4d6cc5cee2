namespace OrderProcessor.Persistence;

/// <summary>
/// A CancelOrder kept because it arrived before its PlaceOrder (table <c>early_cancels</c>); pruned with the inbox.
/// See <see cref="Orders.EarlyCancel"/>.
/// </summary>
public sealed class EarlyCancelEntry
{
    public Guid OrderId { get; set; }

    public string UserId { get; set; } = string.Empty;

    public string Reason { get; set; } = string.Empty;

    public DateTimeOffset ReceivedAt { get; set; }

    public Orders.EarlyCancel ToEarlyCancel() => new(OrderId, UserId, Reason, ReceivedAt);
}

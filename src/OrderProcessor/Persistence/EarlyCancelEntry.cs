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

    /// <summary>
    /// The upstream (RabbitMQ user) that sent the cancel: when its PlaceOrder arrives, the cancel applies only if that
    /// upstream may act for the order's user and account (an upstream granted one account of a user must not cancel
    /// the user's orders on another in advance). Null when it came unauthenticated while authorization was open.
    /// </summary>
    public string? Upstream { get; set; }

    public Orders.EarlyCancel ToEarlyCancel() => new(OrderId, UserId, Reason, ReceivedAt);
}

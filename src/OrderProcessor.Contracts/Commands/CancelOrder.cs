namespace OrderProcessor.Contracts;

/// <summary>
/// Cancel an order. The order goes to PendingCancel and, once IBKR confirms, to Cancelled; a cancel that races a
/// fill ends with the fill reported. Answered by <see cref="OrderStatusChanged"/>, then <see cref="OrderCancelled"/>
/// or the fill, or by <see cref="OrderRejected"/> when the order is unknown or already final.
/// </summary>
public sealed record CancelOrder
{
    /// <summary>The order to cancel.</summary>
    public Guid OrderId { get; init; }

    /// <summary>The user who owns the order; must match the order's user.</summary>
    public string? UserId { get; init; }

    /// <summary>Why, for the audit trail.</summary>
    public string? Reason { get; init; }
}

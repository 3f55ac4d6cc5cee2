namespace OrderProcessor.Persistence;

/// <summary>
/// Which processor instance holds a user's IBKR brokerage session (table <c>user_session_leases</c>). IBKR allows one
/// session per user, so only the holder talks to IBKR for that user; a lease not renewed in time passes to another
/// instance, which opens its own session.
/// </summary>
public sealed class UserSessionLease
{
    public string UserId { get; set; } = string.Empty;

    /// <summary>The instance id of the holder.</summary>
    public string Owner { get; set; } = string.Empty;

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The fencing token: grows every time the lease is taken anew (a new holder, or an expired lease taken again).</summary>
    public long Epoch { get; set; }
}

namespace OrderProcessor.Brokerage.Streaming;

/// <summary>
/// Which users' order streams (IBKR's websocket) the guard keeps open. The processor says whom it follows; the guard
/// owns the sockets, their sessions, leases, pacing and reconnects.
/// </summary>
public interface IOrderStreams
{
    /// <summary>
    /// Keeps (or opens) the user's socket under the lease epoch the caller holds. Idempotent and cheap: called about
    /// once a second per held user with something live. A new epoch reopens the socket under it.
    /// </summary>
    void Follow(string userId, long leaseEpoch);

    /// <summary>The user has nothing live: the socket closes after <c>Brokerage:Stream:IdleCloseAfter</c> unless followed again.</summary>
    void Unfollow(string userId);

    /// <summary>The state of the user's stream; <see cref="OrderStreamState.NotFollowed"/> for a user never followed.</summary>
    OrderStreamState StateOf(string userId);
}

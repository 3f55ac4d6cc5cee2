namespace OrderProcessor.Brokerage.Sessions;

/// <summary>
/// Says whether this process may talk to a user's IBKR brokerage session. IBKR allows one session per username, so
/// where several processes share the users, only the one that holds a user's lease may call IBKR for that user (a
/// token request to PiTrade is not a call to the session). The guard asks before every request leaves, and a keepalive
/// is not sent for a user this process does not hold.
/// </summary>
public interface IUserSessionAuthority
{
    /// <summary>True when this process surely holds the user's session for at least <paramref name="forAtLeast"/> from now.</summary>
    bool MayUse(string userId, TimeSpan forAtLeast);
}

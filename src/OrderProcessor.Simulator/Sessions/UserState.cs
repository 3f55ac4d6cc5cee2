using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Pacing;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>Everything the simulator keeps per username. Touch it only while holding <see cref="Gate"/>.</summary>
public sealed class UserState(string userId, int requestsPerSecond, TimeSpan liveOrdersInterval, TimeSpan tickleInterval, DateTimeOffset now)
{
    /// <summary>Marks a token whose init was refused: it is bound to no session and never joins one.</summary>
    private const string NoSession = "";

    /// <summary>Which session each bearer token of the user belongs to (the one its init opened, or the one it joined).</summary>
    private readonly Dictionary<string, string> _sessionOfToken = new(StringComparer.Ordinal);

    private readonly List<Action<DateTimeOffset>> _whenNoSession = [];

    public string UserId { get; } = userId;

    public Lock Gate { get; } = new();

    /// <summary>The username's brokerage session, whichever token opened it. Who may use it: <see cref="SessionSeenBy"/>.</summary>
    public BrokerageSession? Session { get; private set; }

    /// <summary>When the user's last brokerage session ended (dropped, idled out, competed away, logged out, replaced).</summary>
    public DateTimeOffset? LastSessionEndedAt { get; private set; }

    /// <summary>Set by the control API: another platform holds the username's session.</summary>
    public bool CompetingElsewhere { get; set; }

    /// <summary>The question waiting for /iserver/reply; any other request of the user makes it stale.</summary>
    public PendingReply? PendingReply { get; set; }

    public TokenBucket Requests { get; } = new(requestsPerSecond, now);

    public MinIntervalGate LiveOrders { get; } = new(liveOrdersInterval);

    public MinIntervalGate Tickle { get; } = new(tickleInterval);

    /// <summary>Opens a new session for the token that called ssodh/init; a session held before ends now.</summary>
    public BrokerageSession StartSession(string token, DateTimeOffset now)
    {
        if (Session is not null)
            EndSession(now);
        PendingReply = null;
        Session = new BrokerageSession(Guid.NewGuid().ToString("N"), now, LastSessionEndedAt ?? now);
        _sessionOfToken[token] = Session.Id;
        return Session;
    }

    /// <summary>An init of this token was refused (another token holds the session): it stays without one.</summary>
    public void RefuseSession(string token) => _sessionOfToken[token] = NoSession;

    /// <summary>
    /// The session this token may use: the one it opened or joined while that lasts. A token never seen before joins the
    /// current session when <paramref name="joinIfNew"/> (a refreshed token of the same client), else sees none.
    /// </summary>
    public BrokerageSession? SessionSeenBy(string token, bool joinIfNew)
    {
        if (Session is null)
            return null;
        if (_sessionOfToken.TryGetValue(token, out var id))
            return string.Equals(id, Session.Id, StringComparison.Ordinal) ? Session : null;
        if (!joinIfNew)
            return null;
        _sessionOfToken[token] = Session.Id;
        return Session;
    }

    /// <summary>Whether a session exists that this token does not belong to (another instance or login holds it).</summary>
    public bool IsHeldByAnotherToken(string token) => Session is not null && SessionSeenBy(token, joinIfNew: false) is null;

    /// <summary>Runs <paramref name="action"/> at the moment the current session ends, while no session exists.</summary>
    public void WhenNoSession(Action<DateTimeOffset> action) => _whenNoSession.Add(action);

    public void EndSession(DateTimeOffset at)
    {
        if (Session is not null)
        {
            LastSessionEndedAt = at;
            Session = null;
            RunWhileNoSession(at);
        }

        PendingReply = null;
    }

    /// <summary>
    /// What was waiting for a session change happens now that none exists. Stamped one tick (100 ns) before the end, so
    /// that it is strictly outside any session even when a new one starts at the same instant (a takeover, a re-init).
    /// </summary>
    private void RunWhileNoSession(DateTimeOffset endedAt)
    {
        var actions = _whenNoSession.ToList();
        _whenNoSession.Clear();
        foreach (var action in actions)
            action(endedAt - TimeSpan.FromTicks(1));
    }
}

using OrderProcessor.Simulator.Orders;
using OrderProcessor.Simulator.Pacing;

namespace OrderProcessor.Simulator.Sessions;

/// <summary>Everything the simulator keeps per username. Touch it only while holding <see cref="Gate"/>.</summary>
public sealed class UserState(string userId, int requestsPerSecond, TimeSpan liveOrdersInterval, TimeSpan tickleInterval, DateTimeOffset now)
{
    public string UserId { get; } = userId;

    public Lock Gate { get; } = new();

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

    public BrokerageSession StartSession(DateTimeOffset now)
    {
        if (Session is not null)
            EndSession(now);
        PendingReply = null;
        Session = new BrokerageSession(Guid.NewGuid().ToString("N"), now, LastSessionEndedAt ?? now);
        return Session;
    }

    public void EndSession(DateTimeOffset at)
    {
        if (Session is not null)
            LastSessionEndedAt = at;
        Session = null;
        PendingReply = null;
    }
}

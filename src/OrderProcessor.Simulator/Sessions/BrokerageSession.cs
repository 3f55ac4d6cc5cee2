namespace OrderProcessor.Simulator.Sessions;

/// <summary>One brokerage session opened by ssodh/init. Guarded by its <see cref="UserState"/>'s lock.</summary>
public sealed class BrokerageSession(string id, DateTimeOffset startedAt, DateTimeOffset ordersVisibleSince)
{
    public string Id { get; } = id;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset LastActivity { get; set; } = startedAt;

    /// <summary>
    /// Live orders show working orders and those that ended since this moment: the end of the previous session, so
    /// that fills which happened while the user had no session are seen after the next init.
    /// </summary>
    public DateTimeOffset OrdersVisibleSince { get; } = ordersVisibleSince;

    /// <summary>GET /iserver/accounts was called since init: trading calls are allowed.</summary>
    public bool AccountsQueried { get; set; }

    /// <summary>Question ids suppressed for this session only.</summary>
    public HashSet<string> SuppressedQuestions { get; } = new(StringComparer.Ordinal);

    /// <summary>How many live-orders calls this session made (the first one may come back empty).</summary>
    public int LiveOrdersCalls { get; set; }
}

namespace OrderProcessor.Brokerage.Configuration;

/// <summary>Brokerage-session keep-alive.</summary>
public sealed class SessionOptions
{
    /// <summary>Tickle period for users with live orders or recent activity (IBKR idles a session out after ~6 min).</summary>
    public TimeSpan TickleInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Tickle period right after a failed tickle.</summary>
    public TimeSpan TickleRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A user without live orders stops being tickled this long after their last call.</summary>
    public TimeSpan IdleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the tickle loop looks for due sessions.</summary>
    public TimeSpan TickleScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A user's in-memory state (session, bearer token, call gate, pacing windows) is dropped this long after its last
    /// activity, when nothing of it is live (no live orders, no call, set-up or tickle under way). The next call starts afresh.
    /// </summary>
    public TimeSpan PruneAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often idle users are looked for.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Longest one user's tickle may take, pacing wait included; then it is given up (tried again after
    /// <see cref="TickleRetryInterval"/>). Other users' tickles never wait for it either way.
    /// </summary>
    public TimeSpan TickleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Turns the background tickle loop off (tests, tools).</summary>
    public bool TickleEnabled { get; set; } = true;
}

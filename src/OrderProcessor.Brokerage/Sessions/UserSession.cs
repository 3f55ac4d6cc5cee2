namespace OrderProcessor.Brokerage.Sessions;

/// <summary>Mutable session bookkeeping of one user; guarded by <see cref="Sync"/>.</summary>
internal sealed class UserSession
{
    public UserSession(string userId, DateTimeOffset createdAt)
    {
        UserId = userId;
        CreatedAt = createdAt;
    }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>
    /// Set while a set-up started by a flow that does not hold the user's gate waits for it (a running place → reply
    /// sequence must not be interleaved); a gate holder that must wait for this set-up completes it to lend its hold.
    /// </summary>
    public TaskCompletionSource? GateHandoff { get; set; }

    public string UserId { get; }

    public Lock Sync { get; } = new();

    public BrokerageSessionState State { get; set; } = BrokerageSessionState.NotStarted;

    /// <summary>Grows with every successful initialisation; lets a burst of failures trigger one re-init.</summary>
    public int Epoch { get; set; }

    public int Initialisations { get; set; }

    public Task? Initialisation { get; set; }

    public DateTimeOffset? ReadySince { get; set; }

    public DateTimeOffset? LastActivity { get; set; }

    public DateTimeOffset? LastTickle { get; set; }

    public DateTimeOffset NextTickleDue { get; set; }

    public bool HasLiveOrders { get; set; }

    /// <summary>The epoch whose live orders were read once already (IBKR may answer the first read of a session empty).</summary>
    public int LiveOrdersReadInEpoch { get; set; } = -1;

    /// <summary>A tickle of this user is under way (the scan must not start a second one).</summary>
    public bool TickleInFlight { get; set; }

    public IReadOnlyList<string> Accounts { get; set; } = [];

    /// <summary>
    /// The <c>session</c> field of the last /tickle answer: the websocket's <c>api</c> cookie. A secret like the bearer
    /// token: never in a snapshot, a log or a metric.
    /// </summary>
    public string? StreamCookie { get; set; }

    public string? LastError { get; set; }

    /// <summary>When the last set-up failed; a failure is reported as current only while the session stays failed.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public UserSessionSnapshot Snapshot() => new(
        UserId, State, Initialisations, ReadySince, LastActivity, LastTickle, HasLiveOrders, Accounts, LastError);
}

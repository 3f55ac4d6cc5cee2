namespace OrderProcessor.Brokerage.Resilience;

/// <summary>
/// The guard's per-user failure domains towards IBKR: one circuit breaker per user and endpoint group, and one retry
/// budget per user. One user's failures open only that user's circuit; every other user's calls are untouched.
/// </summary>
public interface IUserFailureDomains
{
    /// <summary>Every circuit that is not closed now (open or half-open), naming its user.</summary>
    IReadOnlyList<UserCircuitSnapshot> NotClosed();

    /// <summary>The state of one user's circuit for an endpoint group ("calls" for everything without a group of its own).</summary>
    CircuitState StateOf(string userId, string group = UserFailureDomains.CallsGroup);

    /// <summary>Drops everything kept for the user (circuits, retry budget); for pruning users who went idle.</summary>
    void Forget(string userId);
}

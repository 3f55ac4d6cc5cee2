namespace OrderProcessor.Brokerage.Sessions;

/// <summary>A read-only view of one user's brokerage session, for health checks and diagnostics.</summary>
public sealed record UserSessionSnapshot(
    string UserId,
    BrokerageSessionState State,
    int Initialisations,
    DateTimeOffset? ReadySince,
    DateTimeOffset? LastActivity,
    DateTimeOffset? LastTickle,
    bool HasLiveOrders,
    IReadOnlyList<string> Accounts,
    string? LastError);

namespace OrderProcessor.Simulator.Control;

/// <summary>
/// Counters: requests by endpoint (method and route) and status, 429s, sessions initialised, tokens issued, orders accepted,
/// websocket connections accepted, frames sent by topic, and requests a maintenance window answered instead of IBKR.
/// </summary>
public sealed record SimulatorStats(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByEndpoint,
    long TooManyRequests,
    long SessionsInitialised,
    long BearerTokensIssued,
    long OrdersAccepted,
    long StreamConnects = 0,
    IReadOnlyDictionary<string, long>? StreamFramesByTopic = null,
    long MaintenanceRefusals = 0);

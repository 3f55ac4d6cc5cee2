namespace OrderProcessor.Simulator.Control;

/// <summary>
/// Counters: requests by endpoint (method and route) and status, 429s, sessions initialised, tokens issued, orders accepted,
/// websocket connections accepted and frames sent by topic.
/// </summary>
public sealed record SimulatorStats(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByEndpoint,
    long TooManyRequests,
    long SessionsInitialised,
    long BearerTokensIssued,
    long OrdersAccepted,
    long StreamConnects = 0,
    IReadOnlyDictionary<string, long>? StreamFramesByTopic = null);

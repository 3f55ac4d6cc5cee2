namespace OrderProcessor.Simulator.Control;

/// <summary>The simulator's log messages about what tests and operators change.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator reset")]
    public static partial void Reset(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Faults set: latency {LatencyMs} ms, 5xx {ServerErrorRate}, 429 {TooManyRequestsRate}, answer lost {AnswerLostRate} ({AnswerLostAs}), path {PathContains}, user {UserId}, seed {Seed}")]
    public static partial void FaultsSet(
        ILogger logger, int latencyMs, double serverErrorRate, double tooManyRequestsRate, double answerLostRate, string answerLostAs, string? pathContains, string? userId, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Faults cleared")]
    public static partial void FaultsCleared(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Brokerage session of user {UserId} dropped by the control API")]
    public static partial void SessionDropped(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another platform now competes for the session of user {UserId}")]
    public static partial void Competing(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator clock advanced by {By}; now {Now}")]
    public static partial void ClockAdvanced(ILogger logger, TimeSpan by, DateTimeOffset now);

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR behaviour set: {Behaviour}")]
    public static partial void BehaviourSet(ILogger logger, string behaviour);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reference price of conid {Conid} pinned at {Price}")]
    public static partial void PricePinned(ILogger logger, int conid, decimal price);

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR maintenance until {Until}: every brokerage session ended, {Sockets} websocket(s) closed")]
    public static partial void MaintenanceStarted(ILogger logger, DateTimeOffset until, int sockets);

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR maintenance ended by the control API")]
    public static partial void MaintenanceEnded(ILogger logger);
}

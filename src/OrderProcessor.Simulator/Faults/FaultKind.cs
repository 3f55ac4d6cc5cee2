namespace OrderProcessor.Simulator.Faults;

/// <summary>What the fault injector does to one request.</summary>
public enum FaultKind
{
    None,
    ServerError,
    TooManyRequests,
    AnswerLost,
    Canned,
}

namespace OrderProcessor.Simulator.Control;

/// <summary>One PiTrade or IBKR request the simulator answered (or whose answer it lost on purpose).</summary>
public sealed record RequestLogEntry(DateTimeOffset At, string Method, string Path, string? UserId, int Status, bool AnswerLost);

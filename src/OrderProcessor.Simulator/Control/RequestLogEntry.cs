namespace OrderProcessor.Simulator.Control;

/// <summary>One PiTrade or IBKR request the simulator answered (or whose answer it lost on purpose).</summary>
/// <param name="At">When it arrived, on the simulator's clock.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path.</param>
/// <param name="UserId">The user the bearer token (or PiTrade request) was for.</param>
/// <param name="Status">The HTTP status answered.</param>
/// <param name="AnswerLost">A fault dropped the answer after the request was processed.</param>
/// <param name="Caller">
/// Who called: a short fingerprint of the bearer token (each processor process holds tokens of its own), so tests can
/// tell which instance talked to a user's session when. Null without a bearer token.
/// </param>
/// <param name="Maintenance">A maintenance window answered it (IBKR's endpoint never saw it).</param>
public sealed record RequestLogEntry(DateTimeOffset At, string Method, string Path, string? UserId, int Status, bool AnswerLost, string? Caller = null, bool Maintenance = false);

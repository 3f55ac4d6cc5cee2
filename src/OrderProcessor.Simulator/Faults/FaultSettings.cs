namespace OrderProcessor.Simulator.Faults;

/// <summary>
/// Faults to inject, body of <c>PUT /__sim/faults</c>. Rates are probabilities in [0, 1], drawn from a Random seeded
/// with <see cref="Seed"/>; they apply only to requests whose path contains <see cref="PathContains"/> and whose user
/// is <see cref="UserId"/>, when those are given.
/// </summary>
public sealed record FaultSettings
{
    public int LatencyMs { get; init; }

    public double ServerErrorRate { get; init; }

    public double TooManyRequestsRate { get; init; }

    /// <summary>The request is processed and recorded, then its answer is lost (see <see cref="AnswerLostAs"/>).</summary>
    public double AnswerLostRate { get; init; }

    public string? PathContains { get; init; }

    public string? UserId { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>The status of an injected server error: 500 or 503 (default).</summary>
    public int ServerErrorStatus { get; init; } = 503;

    /// <summary>How a lost answer shows: "abort" (the connection is aborted, default) or "504".</summary>
    public string AnswerLostAs { get; init; } = "abort";

    /// <summary>
    /// Share of matching requests answered with <see cref="CannedStatus"/> and <see cref="CannedBody"/> instead of the
    /// real answer: IBKR's <c>200 {"error":"no bridge"}</c>, a 400 from question suppression, PiTrade's 403 for one user,
    /// an unrecognised 2xx... Drawn only when above 0, after the other rates.
    /// </summary>
    public double CannedRate { get; init; }

    public int CannedStatus { get; init; } = 200;

    /// <summary>The canned body, sent as application/json (empty when null).</summary>
    public string? CannedBody { get; init; }

    /// <summary>True: the request is processed and recorded first, and only its answer is replaced (an unrecognised 2xx of a placement that did happen).</summary>
    public bool CannedAfterProcessing { get; init; }

    /// <summary>At most this many canned answers (0: no limit), e.g. 1 for "the first placement is answered no bridge".</summary>
    public int CannedMax { get; init; }

    public static FaultSettings None { get; } = new();

    public string? Problem()
    {
        if (LatencyMs < 0)
            return "latencyMs must not be negative";
        if (ServerErrorRate is < 0 or > 1 || TooManyRequestsRate is < 0 or > 1 || AnswerLostRate is < 0 or > 1 || CannedRate is < 0 or > 1)
            return "rates must be between 0 and 1";
        if (ServerErrorStatus is < 500 or > 599)
            return "serverErrorStatus must be a 5xx status";
        if (CannedMax < 0)
            return "cannedMax must not be negative";
        if (CannedStatus is < 200 or > 599)
            return "cannedStatus must be an HTTP status (200-599)";
        return AnswerLostAs is "abort" or "504" ? null : "answerLostAs must be \"abort\" or \"504\"";
    }
}

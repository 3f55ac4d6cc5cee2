using OrderProcessor.Contracts;

namespace OrderProcessor.Brokerage.Failures;

/// <summary>
/// IBKR is unavailable for the user (a maintenance window or a detected outage); thrown before anything is sent, so the
/// work can be held and sent when IBKR is back.
/// </summary>
public sealed class IbkrUnavailableException(string userId, HoldCause cause, string region, DateTimeOffset? expectedUntil, string message, string? endpoint = null)
    : BrokerageException(BrokerageFailureKind.Unavailable, message, userId, endpoint)
{
    /// <summary>A scheduled window or a detected outage.</summary>
    public HoldCause Cause { get; } = cause;

    /// <summary>IBKR's region (maintenance schedule) of the user.</summary>
    public string Region { get; } = region;

    /// <summary>When IBKR is expected back, when known.</summary>
    public DateTimeOffset? ExpectedUntil { get; } = expectedUntil;
}

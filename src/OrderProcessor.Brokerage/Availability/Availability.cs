using OrderProcessor.Contracts;

namespace OrderProcessor.Brokerage.Availability;

/// <summary>Whether IBKR is available for a user now; when not, why and until when (if known).</summary>
public sealed record Availability(bool Available, HoldCause Cause, string Region, DateTimeOffset? ExpectedUntil, string Reason);

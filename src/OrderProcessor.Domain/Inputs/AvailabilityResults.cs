using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// The claimed work was not sent because IBKR is unavailable (a maintenance window or an outage): known before anything
/// was sent, so nothing of it reached IBKR.
/// </summary>
public sealed record BrokerUnavailable(Guid Claim, OrderWork Work, HoldCause Cause, string Region, string Reason, DateTimeOffset? ExpectedUntil) : WorkResult(Claim);

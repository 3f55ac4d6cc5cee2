namespace OrderProcessor.Brokerage.Resilience;

/// <summary>One user's circuit for one endpoint group, as <see cref="IUserFailureDomains"/> reports it.</summary>
/// <param name="UserId">The user.</param>
/// <param name="Group">The endpoint group ("calls", or an endpoint IBKR limits on its own: "live-orders", "trades", "tickle").</param>
/// <param name="State">Closed, open or half-open.</param>
/// <param name="OpenFor">How much of the break is left (zero unless open).</param>
public sealed record UserCircuitSnapshot(string UserId, string Group, CircuitState State, TimeSpan OpenFor);

namespace OrderProcessor.Simulator.Orders;

/// <summary>
/// The execution algos (<c>strategy</c> + <c>strategyParameters</c>) the simulator takes: Adaptive only, with its one
/// parameter <c>adaptivePriority</c> (Urgent, Normal, Patient: IBKR's legalStrings in the algos answer of the OpenAPI
/// document). IBKR offers other algos (Vwap, ArrivalPx, ...); the simulator refuses them because it does not model their
/// parameters: harder than IBKR, never kinder.
/// </summary>
public static class AlgoRules
{
    public const string Adaptive = "Adaptive";
    public const string AdaptivePriority = "adaptivePriority";

    public static readonly IReadOnlyList<string> AdaptivePriorities = ["Urgent", "Normal", "Patient"];

    public static string? Check(OrderTicket ticket, Instruments.InstrumentSpec instrument)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(instrument);
        if (ticket.Strategy is null)
            return ticket.StrategyParameters is { Count: > 0 } ? "Algo parameters were given without an algo strategy" : null;
        if (!string.Equals(ticket.Strategy, Adaptive, StringComparison.Ordinal))
            return $"Invalid algo strategy: {ticket.Strategy}. Supported strategies: {Adaptive}";
        var parameters = ticket.StrategyParameters ?? new Dictionary<string, string>();
        var unknown = parameters.Keys.FirstOrDefault(k => !string.Equals(k, AdaptivePriority, StringComparison.Ordinal));
        if (unknown is not null)
            return $"Invalid algo parameter {unknown} for strategy {Adaptive}";
        if (!parameters.TryGetValue(AdaptivePriority, out var priority))
            return $"Missing algo parameter {AdaptivePriority} for strategy {Adaptive} ({string.Join(", ", AdaptivePriorities)})";
        if (!AdaptivePriorities.Contains(priority, StringComparer.Ordinal))
            return $"Invalid value {priority} for algo parameter {AdaptivePriority}: one of {string.Join(", ", AdaptivePriorities)}";
        if (ticket.OrderType is not (OrderTypes.Market or OrderTypes.Limit))
            return $"The {Adaptive} algo takes MKT and LMT orders only, not {ticket.OrderType}";
        return instrument.IsCurrency ? $"The {Adaptive} algo is not available for {instrument.Symbol} ({instrument.SecType})" : null;
    }
}

namespace OrderProcessor.Contracts;

/// <summary>
/// One of IBKR's execution algorithms, sent as the ticket's <c>strategy</c> and <c>strategyParameters</c>: e.g.
/// <c>{"strategy":"Adaptive","parameters":{"adaptivePriority":"Normal"}}</c>. The processor checks the names and
/// values it knows (see the README's order-type table); IBKR checks the rest.
/// </summary>
public sealed record ExecutionAlgo
{
    /// <summary>IBKR's name of the algorithm, e.g. <c>Adaptive</c>.</summary>
    public string? Strategy { get; init; }

    /// <summary>The algorithm's parameters by IBKR's names, e.g. <c>adaptivePriority</c>: <c>Patient</c>, <c>Normal</c> or <c>Urgent</c>.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }
}

using OrderProcessor.Contracts;

namespace OrderProcessor.Orders;

/// <summary>
/// IBKR's execution algos (<c>strategy</c> + <c>strategyParameters</c>) and its price-management flag
/// (<c>useAdaptive</c>). Only the algos this service knows are sent, each with the parameters it is known to take: a
/// misspelt name or parameter is refused here rather than left to IBKR to ignore or reject after the order is live.
/// </summary>
internal static class AlgoRules
{
    public const string Adaptive = "Adaptive";
    public const string AdaptivePriority = "adaptivePriority";

    /// <summary>The algos this service knows, each with its parameters and their allowed values (IBKR's spelling, case-sensitive).</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string[]>> Known =
        new Dictionary<string, IReadOnlyDictionary<string, string[]>>(StringComparer.Ordinal)
        {
            [Adaptive] = new Dictionary<string, string[]>(StringComparer.Ordinal) { [AdaptivePriority] = ["Patient", "Normal", "Urgent"] },
        };

    public static void AddTo(ViolationList violations, TicketTerms terms)
    {
        var p = terms.Field;
        var type = TicketValidator.KnownType(terms);
        if (terms.UseAdaptive)
        {
            if (terms.Algo is not null)
            {
                violations.Add(p + "useAdaptive", "not-with-algo",
                    $"{p}useAdaptive cannot be combined with {p}algo: IBKR works an order with one algo at a time.");
            }

            if (type is { } t && t is not (OrderType.Market or OrderType.Limit))
            {
                violations.Add(p + "useAdaptive", "use-adaptive-order-type",
                    $"{p}useAdaptive is only for MKT and LMT orders (this one is {ViolationList.Wire(t)}).");
            }
        }

        if (terms.Algo is not { } algo)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(algo.Strategy))
        {
            violations.Add(p + "algo.strategy", "required", $"{p}algo.strategy is required with an algo: one of {string.Join(", ", Known.Keys)}.");
            return;
        }

        if (!Known.TryGetValue(algo.Strategy, out var parameters))
        {
            violations.Add(p + "algo.strategy", "algo-strategy",
                $"{p}algo.strategy is not an algo this service knows (names are case-sensitive): one of {string.Join(", ", Known.Keys)}.");
            return;
        }

        Parameters(violations, p, algo, parameters);
        if (type is { } orderType && orderType is not (OrderType.Market or OrderType.Limit))
        {
            violations.Add(p + "algo", "algo-order-type",
                $"{p}algo {algo.Strategy} is only for MKT and LMT orders (this one is {ViolationList.Wire(orderType)}).");
        }

        if (TicketValidator.KnownSecurityType(terms) is { } securityType && securityType != SecurityType.Stock)
        {
            violations.Add(p + "algo", "algo-security-type",
                $"{p}algo {algo.Strategy} is only for STK orders (this one is {ViolationList.Wire(securityType)}).");
        }
    }

    private static void Parameters(ViolationList violations, string p, ExecutionAlgo algo, IReadOnlyDictionary<string, string[]> known)
    {
        var given = algo.Parameters ?? new Dictionary<string, string>();
        if (given.Count > OrderLimits.MaxAlgoParameters)
        {
            violations.Add(p + "algo.parameters", "max-count", $"{p}algo.parameters may hold at most {OrderLimits.MaxAlgoParameters} parameters (it holds {given.Count}).");
            return;
        }

        foreach (var (name, value) in given)
        {
            if (name.Length > OrderLimits.MaxAlgoTextLength || (value?.Length ?? 0) > OrderLimits.MaxAlgoTextLength)
            {
                violations.Add(p + "algo.parameters", "max-length", $"{p}algo.parameters names and values must be at most {OrderLimits.MaxAlgoTextLength} characters.");
                return;
            }
        }

        foreach (var name in given.Keys.Where(n => !known.ContainsKey(n)).Order(StringComparer.Ordinal))
        {
            violations.Add(p + "algo.parameters", "algo-parameter",
                $"{p}algo.parameters names '{name}', which {algo.Strategy} does not take: it takes {string.Join(", ", known.Keys)}.");
        }

        foreach (var (name, values) in known)
        {
            if (!given.TryGetValue(name, out var value) || !values.Contains(value, StringComparer.Ordinal))
            {
                violations.Add($"{p}algo.parameters.{name}", "algo-parameter",
                    $"{p}algo.parameters.{name} is required for {algo.Strategy}: one of {string.Join(", ", values)}.");
            }
        }
    }
}

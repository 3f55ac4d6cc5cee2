using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Brokerage.Ibkr;

namespace OrderProcessor.Brokerage.Resilience;

/// <summary>
/// The circuits (per user and endpoint group) and retry budgets (per user) towards IBKR. Endpoints that IBKR limits on
/// their own (live orders, trades, tickle) have a circuit of their own, so a user's failing reads never stop that same
/// user's placements and cancels; everything else of a user shares the "calls" circuit.
/// </summary>
internal sealed partial class UserFailureDomains : IUserFailureDomains
{
    public const string CallsGroup = "calls";

    private readonly ConcurrentDictionary<string, Domain> _users = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly BrokerageMetrics _metrics;
    private readonly ILogger<UserFailureDomains> _logger;

    public UserFailureDomains(TimeProvider time, IOptionsMonitor<BrokerageOptions> options, BrokerageMetrics metrics, ILogger<UserFailureDomains> logger)
    {
        _time = time;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _metrics.ObserveOpenCircuits(() => _users.Values.Sum(static d => d.Circuits.Values.Count(static c => c.State != CircuitState.Closed)));
    }

    public static string GroupOf(IbkrEndpoint endpoint) =>
        endpoint == IbkrEndpointCatalog.LiveOrders || endpoint == IbkrEndpointCatalog.Trades || endpoint == IbkrEndpointCatalog.Tickle
            ? endpoint.Name
            : CallsGroup;

    public UserCircuit CircuitOf(string userId, string group) =>
        DomainOf(userId).Circuits.GetOrAdd(group, _ => new UserCircuit(_time));

    /// <summary>Spends one retry of the user's budget; false when it is used up (the failure then stands).</summary>
    public bool TrySpendRetry(string userId)
    {
        var resilience = _options.CurrentValue.Resilience;
        if (DomainOf(userId).Retries.TrySpend(resilience.RetryBudgetPerUser, resilience.RetryBudgetWindow))
        {
            return true;
        }

        _metrics.RetryBudgetExhausted();
        LogRetryBudgetExhausted(_logger, userId, resilience.RetryBudgetPerUser, resilience.RetryBudgetWindow.TotalSeconds);
        return false;
    }

    public BreakerSettings Settings()
    {
        var resilience = _options.CurrentValue.Resilience;
        return new BreakerSettings(resilience.BreakerFailureRatio, resilience.BreakerMinimumThroughput, resilience.BreakerSamplingDuration, resilience.BreakerBreakDuration);
    }

    public void Report(string userId, string group, UserCircuit.Transition transition)
    {
        switch (transition)
        {
            case UserCircuit.Transition.Opened:
                _metrics.CircuitChanged(group, CircuitState.Open);
                LogOpened(_logger, userId, group, _options.CurrentValue.Resilience.BreakerBreakDuration.TotalSeconds);
                break;
            case UserCircuit.Transition.Closed:
                _metrics.CircuitChanged(group, CircuitState.Closed);
                LogClosed(_logger, userId, group);
                break;
        }
    }

    public IReadOnlyList<UserCircuitSnapshot> NotClosed() =>
    [
        .. from user in _users
           from circuit in user.Value.Circuits
           let state = circuit.Value.State
           where state != CircuitState.Closed
           select new UserCircuitSnapshot(user.Key, circuit.Key, state, circuit.Value.OpenFor),
    ];

    public CircuitState StateOf(string userId, string group = CallsGroup) =>
        _users.TryGetValue(userId, out var domain) && domain.Circuits.TryGetValue(group, out var circuit) ? circuit.State : CircuitState.Closed;

    public void Forget(string userId) => _users.TryRemove(userId, out _);

    private Domain DomainOf(string userId) => _users.GetOrAdd(userId, _ => new Domain(new RetryBudget(_time)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Circuit {Group} of user {UserId} opened: that user's calls fail fast for {BreakSeconds} s; other users are not affected")]
    private static partial void LogOpened(ILogger logger, string userId, string group, double breakSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Circuit {Group} of user {UserId} closed again")]
    private static partial void LogClosed(ILogger logger, string userId, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retry budget of user {UserId} used up ({Limit} retries per {WindowSeconds} s); the failure is not retried")]
    private static partial void LogRetryBudgetExhausted(ILogger logger, string userId, int limit, double windowSeconds);

    private sealed record Domain(RetryBudget Retries)
    {
        public ConcurrentDictionary<string, UserCircuit> Circuits { get; } = new(StringComparer.Ordinal);
    }
}

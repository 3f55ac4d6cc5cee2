using OrderProcessor.Brokerage.Ibkr.Orders;

namespace OrderProcessor.Execution.Streaming;

/// <summary>
/// One user's executions as the <c>str</c> topic reports them: distinct execution ids per cOID, their cumulative filled
/// quantity and average price. IBKR replays the day's executions on every subscription (and so after every reconnect):
/// an execution seen before changes nothing, so the sum never exceeds what IBKR executed. Not thread-safe: its owner
/// serialises access.
/// </summary>
public sealed class ExecutionLedger
{
    private readonly Dictionary<string, OrderExecutions> _byClientOrderId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _clientOrderIdByExecution = new(StringComparer.Ordinal);

    /// <summary>
    /// Records one execution under <paramref name="clientOrderId"/> (its <c>order_ref</c>, or the cOID its IBKR order id is
    /// known by). False when it was seen before (a replay) or carries no execution id or size.
    /// </summary>
    public bool Add(string clientOrderId, Trade execution, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(execution);
        if (execution.ExecutionId is not { Length: > 0 } executionId || execution.Size is not { } size)
        {
            return false;
        }

        if (!_clientOrderIdByExecution.TryAdd(executionId, clientOrderId))
        {
            return false;
        }

        if (!_byClientOrderId.TryGetValue(clientOrderId, out var executions))
        {
            executions = _byClientOrderId[clientOrderId] = new OrderExecutions();
        }

        executions.Filled += size;
        executions.Value += size * (execution.Price ?? 0);
        executions.Priced &= execution.Price is not null;
        executions.BrokerOrderId ??= execution.OrderId;
        executions.TouchedAt = at;
        return true;
    }

    /// <summary>Whether an execution with this id was recorded.</summary>
    public bool Has(string executionId) => _clientOrderIdByExecution.ContainsKey(executionId);

    /// <summary>What executed of the order with this cOID: filled, average price (null when unknown), IBKR's order id.</summary>
    public (decimal Filled, decimal? AveragePrice, string? BrokerOrderId) Of(string clientOrderId) =>
        _byClientOrderId.TryGetValue(clientOrderId, out var e) && e.Filled > 0
            ? (e.Filled, e.Priced ? e.Value / e.Filled : null, e.BrokerOrderId)
            : (0, null, null);

    /// <summary>Forgets the executions of orders not touched since <paramref name="before"/>.</summary>
    public void Prune(DateTimeOffset before)
    {
        var stale = _byClientOrderId.Where(e => e.Value.TouchedAt < before).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var clientOrderId in stale)
        {
            _byClientOrderId.Remove(clientOrderId);
        }

        foreach (var executionId in _clientOrderIdByExecution.Where(e => stale.Contains(e.Value)).Select(e => e.Key).ToList())
        {
            _clientOrderIdByExecution.Remove(executionId);
        }
    }

    private sealed class OrderExecutions
    {
        public decimal Filled { get; set; }

        public decimal Value { get; set; }

        public bool Priced { get; set; } = true;

        public string? BrokerOrderId { get; set; }

        public DateTimeOffset TouchedAt { get; set; }
    }
}

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>One execution (a fill) at IBKR.</summary>
public sealed record Execution(string ExecutionId, string BrokerOrderId, string ClientOrderId, string UserId, decimal Quantity, decimal Price, DateTimeOffset At);

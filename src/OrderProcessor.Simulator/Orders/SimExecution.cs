namespace OrderProcessor.Simulator.Orders;

/// <summary>One fill of an order: what GET /iserver/account/trades lists as one execution.</summary>
public sealed record SimExecution(string ExecutionId, decimal Quantity, decimal Price, DateTimeOffset At);

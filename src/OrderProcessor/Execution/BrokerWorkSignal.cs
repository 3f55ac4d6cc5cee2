using OrderProcessor.Infrastructure;

namespace OrderProcessor.Execution;

/// <summary>Wakes the broker worker as soon as a transaction makes IBKR work due.</summary>
public sealed class BrokerWorkSignal : WakeSignal;

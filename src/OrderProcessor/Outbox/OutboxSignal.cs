using OrderProcessor.Infrastructure;

namespace OrderProcessor.Outbox;

/// <summary>Wakes the relay as soon as a transaction with outbox rows commits.</summary>
public sealed class OutboxSignal : WakeSignal;

using OrderProcessor.Contracts;

namespace OrderProcessor.LifecycleSimulation.Store;

/// <summary>An event as the outbox keeps it, with the step of the schedule that wrote it.</summary>
public sealed record CommittedEvent(Guid OrderId, long Sequence, IOrderEvent Event, int Step, DateTimeOffset At);

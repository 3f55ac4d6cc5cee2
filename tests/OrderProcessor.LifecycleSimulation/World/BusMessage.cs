namespace OrderProcessor.LifecycleSimulation.World;

/// <summary>A command on its way to the processor; the same message id delivered twice is a redelivery.</summary>
public sealed record BusMessage(Guid MessageId, object Command);

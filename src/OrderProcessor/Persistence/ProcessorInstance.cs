namespace OrderProcessor.Persistence;

/// <summary>
/// A running processor (table <c>processor_instances</c>): its instance id, a token of this very process, and a
/// heartbeat. Two live processes with the same instance id would share leases without knowing it; the second is refused
/// at start.
/// </summary>
public sealed class ProcessorInstance
{
    public string InstanceId { get; set; } = string.Empty;

    public Guid ProcessToken { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset HeartbeatAt { get; set; }
}

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>A user's brokerage session at IBKR: one per username; another login (another instance) takes it over.</summary>
public sealed class ModelSession(string owner, DateTimeOffset startedAt)
{
    public string Owner { get; } = owner;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public int LiveOrderCalls { get; set; }
}

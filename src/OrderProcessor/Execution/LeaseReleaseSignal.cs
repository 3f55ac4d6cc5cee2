using OrderProcessor.Infrastructure;

namespace OrderProcessor.Execution;

/// <summary>Wakes the status poller when another instance released its users' leases (a clean stop): it takes them now.</summary>
public sealed class LeaseReleaseSignal : WakeSignal
{
    /// <summary>The PostgreSQL notification channel a clean stop notifies after releasing its leases; the payload is its lease owner.</summary>
    public const string Channel = "orderprocessor_leases_released";
}

using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Contracts;

namespace OrderProcessor.LifecycleSimulation.Ibkr;

/// <summary>
/// The guard's view of IBKR's availability in the simulation: a user is unavailable while the model is in maintenance
/// for it (each user is a region of its own). A scheduled window's end is known; an outage's is not. Detection is
/// immediate here: the guard's own detection is tested against the HTTP simulator (Part A).
/// </summary>
public sealed class ModelAvailability(IbkrModel model) : IIbkrAvailability
{
    public event Action<IReadOnlyCollection<string>>? Released
    {
        add { }
        remove { }
    }

    public Availability Check(string userId) => model.MaintenanceOf(userId) is { } window
        ? new(false, window.Scheduled ? HoldCause.ScheduledMaintenance : HoldCause.IbkrUnavailable, RegionOf(userId), window.Scheduled ? window.Until : null,
            window.Scheduled ? $"IBKR's maintenance of {RegionOf(userId)}" : "IBKR answered 503 Service Unavailable")
        : new(true, HoldCause.IbkrUnavailable, RegionOf(userId), null, string.Empty);

    public (IReadOnlyList<string> Regions, IReadOnlyList<string> Users) Unavailable() => ([], model.UsersInMaintenance);

    public string RegionOf(string userId) => "region-" + userId;
}

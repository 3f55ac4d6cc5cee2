using OrderProcessor.Contracts;

namespace OrderProcessor.Brokerage.Availability;

/// <summary>IBKR is always available: no maintenance window is known and no outage is detected (today's behaviour).</summary>
public sealed class AlwaysAvailable : IIbkrAvailability
{
    public const string Region = "NorthAmerica";

    private static readonly Availability Up = new(true, HoldCause.IbkrUnavailable, Region, null, string.Empty);

    public event Action<IReadOnlyCollection<string>>? Released
    {
        add { }
        remove { }
    }

    public Availability Check(string userId) => Up;

    public (IReadOnlyList<string> Regions, IReadOnlyList<string> Users) Unavailable() => ([], []);

    public string RegionOf(string userId) => Region;
}

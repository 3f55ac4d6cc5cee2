namespace OrderProcessor.Brokerage.Availability;

/// <summary>IBKR's availability per user: scheduled maintenance windows and detected outages.</summary>
public interface IIbkrAvailability
{
    /// <summary>Whether IBKR is available for <paramref name="userId"/> now.</summary>
    Availability Check(string userId);

    /// <summary>The regions and the users for which IBKR is unavailable now (for the claim query).</summary>
    (IReadOnlyList<string> Regions, IReadOnlyList<string> Users) Unavailable();

    /// <summary>IBKR's region (maintenance schedule) of <paramref name="userId"/>.</summary>
    string RegionOf(string userId);

    /// <summary>Raised with the users for which IBKR is available again (worker wake-up, reconciliation).</summary>
    event Action<IReadOnlyCollection<string>>? Released;
}

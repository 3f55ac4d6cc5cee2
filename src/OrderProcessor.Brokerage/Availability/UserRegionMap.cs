namespace OrderProcessor.Brokerage.Availability;

/// <summary>
/// IBKR's region of a user: <c>Brokerage:Maintenance:UserRegions</c>, else <c>DefaultRegion</c>. Sessions are per IBKR
/// username (our user id), so is the region; a per-user column can come once PiTrade tells us each user's server region.
/// </summary>
public static class UserRegionMap
{
    public static string RegionOf(MaintenanceOptions options, string userId)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.UserRegions.TryGetValue(userId, out var region) && !string.IsNullOrWhiteSpace(region) ? region : options.DefaultRegion;
    }
}

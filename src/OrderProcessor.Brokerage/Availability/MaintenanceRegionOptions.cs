namespace OrderProcessor.Brokerage.Availability;

/// <summary>One IBKR region's maintenance schedule, in its own time zone (an IANA id).</summary>
public sealed class MaintenanceRegionOptions
{
    public string TimeZone { get; set; } = "America/New_York";

    /// <summary>The nightly restart of <c>/iserver</c> (around 01:00 local).</summary>
    public MaintenanceWindowOptions Nightly { get; set; } = new();

    /// <summary>Longer weekly maintenances (weekend evenings).</summary>
    public List<WeeklyMaintenanceWindowOptions> Weekly { get; set; } = [];

    public static MaintenanceRegionOptions Default(string timeZone) => new()
    {
        TimeZone = timeZone,
        Nightly = new MaintenanceWindowOptions { Start = new TimeOnly(0, 55), Length = TimeSpan.FromMinutes(20) },
        Weekly = [new WeeklyMaintenanceWindowOptions { Day = DayOfWeek.Saturday, Start = new TimeOnly(23, 0), Length = TimeSpan.FromHours(3) }],
    };
}

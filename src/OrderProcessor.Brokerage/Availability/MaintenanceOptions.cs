using System.ComponentModel.DataAnnotations;

namespace OrderProcessor.Brokerage.Availability;

/// <summary>
/// IBKR's maintenance windows per region and how an outage is detected (<c>Brokerage:Maintenance</c>). IBKR restarts
/// <c>/iserver</c> around 01:00 local time of each region every night and has a longer maintenance on weekend evenings
/// (no published fixed times: these defaults are ours).
/// </summary>
public sealed class MaintenanceOptions
{
    public const string SectionName = "Brokerage:Maintenance";

    /// <summary>Hold orders during windows and detected outages; off, IBKR is treated as always available.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The region of users not listed in <see cref="UserRegions"/>.</summary>
    [Required]
    public string DefaultRegion { get; set; } = "NorthAmerica";

    /// <summary>IBKR username (our user id) → region; sessions are per username, so is the region.</summary>
    public Dictionary<string, string> UserRegions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Region name → its time zone and windows.</summary>
    public Dictionary<string, MaintenanceRegionOptions> Regions { get; set; } = new(StringComparer.Ordinal)
    {
        ["NorthAmerica"] = MaintenanceRegionOptions.Default("America/New_York"),
        ["Europe"] = MaintenanceRegionOptions.Default("Europe/Zurich"),
        ["Asia"] = MaintenanceRegionOptions.Default("Asia/Hong_Kong"),
    };

    /// <summary>
    /// Calls are held from this long before a scheduled window's start: an order let go at the last instant would meet
    /// IBKR going down with its answer on the way, and stay unknown until the window ends (1 s covers a usual answer,
    /// not a slow one: that is reconciled after the window); a clock a little apart from IBKR's would send into the
    /// window. 0: held from the start itself.
    /// </summary>
    public TimeSpan HoldBefore { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>One auth/status per unavailable user this often (paced), never counted as a retry.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Distinct users of a region with an outage answer within <see cref="DetectWithin"/>: the region is down.</summary>
    [Range(1, 1000)]
    public int DetectUsers { get; set; } = 2;

    public TimeSpan DetectWithin { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Within this of a scheduled window, one user's outage answer is enough for the region.</summary>
    public TimeSpan DetectGrace { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>After a window, every followed user is read every 5 s for this long (then the normal cadence).</summary>
    public TimeSpan ReconcileAfterWindowFor { get; set; } = TimeSpan.FromMinutes(2);
}

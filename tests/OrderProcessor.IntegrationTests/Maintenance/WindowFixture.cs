using System.Globalization;
using OrderProcessor.IntegrationTests.Infrastructure;

namespace OrderProcessor.IntegrationTests.Maintenance;

/// <summary>
/// A processor with maintenance availability on for region <c>Test</c> (UTC), four users, and a window of
/// <see cref="WindowLength"/>: either configured on the wall clock (<see cref="Scheduled"/>, starting
/// <see cref="LeadTime"/> after the fixture starts) or not configured at all (an outage the guard must detect; the
/// region's nightly window is then 12 h away).
/// </summary>
public abstract class WindowFixture : ProcessorFixture
{
    /// <summary>The issue names a 60 s window.</summary>
    public static readonly TimeSpan WindowLength = TimeSpan.FromSeconds(60);

    /// <summary>How often an unavailable user is probed (the bound of the refused requests during an outage).</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    /// <summary>Starting the processor and warming four users up takes seconds on a loaded machine.</summary>
    private static readonly TimeSpan LeadTime = TimeSpan.FromSeconds(45);

    protected abstract bool Scheduled { get; }

    /// <summary>Where the scheduled window starts (only when <see cref="Scheduled"/>).</summary>
    public DateTimeOffset ScheduledStart { get; private set; }

    public bool IsScheduled => Scheduled;

    public override async Task InitializeAsync()
    {
        ScheduledStart = Scheduled ? DateTimeOffset.UtcNow + LeadTime : DateTimeOffset.UtcNow + TimeSpan.FromHours(12);
        await base.InitializeAsync();
    }

    protected override Dictionary<string, string?> ProcessorSettings => new(Scheduled
        ? ScheduledWindow(ScheduledStart, WindowLength)
        : ScheduledWindow(ScheduledStart, TimeSpan.FromMinutes(1)));

    /// <summary>
    /// Availability on for region <c>Test</c> (UTC, every user's) with one nightly window at <paramref name="start"/>'s
    /// time of day; probes every <see cref="ProbeInterval"/>; detection without the schedule's help (no grace).
    /// </summary>
    public static Dictionary<string, string?> ScheduledWindow(DateTimeOffset start, TimeSpan length) => new()
    {
        ["Brokerage:Maintenance:Enabled"] = "true",
        ["Brokerage:Maintenance:DefaultRegion"] = "Test",
        ["Brokerage:Maintenance:Regions:Test:TimeZone"] = "UTC",
        ["Brokerage:Maintenance:Regions:Test:Nightly:Start"] = start.UtcDateTime.ToString("HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        ["Brokerage:Maintenance:Regions:Test:Nightly:Length"] = length.ToString("c", CultureInfo.InvariantCulture),
        ["Brokerage:Maintenance:ProbeInterval"] = ProbeInterval.ToString("c", CultureInfo.InvariantCulture),
        // Detection without the schedule's help: two users of the region within DetectWithin.
        ["Brokerage:Maintenance:DetectGrace"] = "00:00:00",
    };
}

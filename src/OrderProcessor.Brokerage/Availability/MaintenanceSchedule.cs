namespace OrderProcessor.Brokerage.Availability;

/// <summary>
/// IBKR's scheduled maintenance windows of every region (nightly around 01:00 local, longer on weekend evenings), in
/// each region's own time zone. Pure apart from <see cref="TimeProvider"/> for "now".
/// </summary>
public sealed class MaintenanceSchedule(IReadOnlyDictionary<string, MaintenanceCalendar> calendars, TimeProvider time)
{
    /// <summary>The schedule <c>Brokerage:Maintenance</c> describes (validated at start: every time zone is known).</summary>
    public static MaintenanceSchedule From(MaintenanceOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var calendars = new Dictionary<string, MaintenanceCalendar>(StringComparer.Ordinal);
        foreach (var (region, settings) in options.Regions)
        {
            var zone = MaintenanceOptionsValidator.ZoneOf(settings.TimeZone)
                ?? throw new ArgumentException($"Brokerage__Maintenance__Regions__{region}__TimeZone '{settings.TimeZone}' is not a known time zone.", nameof(options));
            var windows = new List<RecurringWindow>();
            if (settings.Nightly is { } nightly && nightly.Length > TimeSpan.Zero)
                windows.Add(new RecurringWindow(null, nightly.Start, nightly.Length));
            windows.AddRange((settings.Weekly ?? []).Where(w => w.Length > TimeSpan.Zero).Select(w => new RecurringWindow(w.Day, w.Start, w.Length)));
            calendars[region] = new MaintenanceCalendar(region, zone, windows);
        }

        return new MaintenanceSchedule(calendars, time);
    }

    public IReadOnlyCollection<string> Regions => [.. calendars.Keys];

    /// <summary>The window of <paramref name="region"/> that <paramref name="at"/> falls in, or null.</summary>
    public ScheduledWindow? WindowAt(string region, DateTimeOffset at) => CalendarOf(region).WindowAt(at);

    /// <summary>The window of <paramref name="region"/> that <paramref name="at"/> falls in, else the next one; null when none is configured.</summary>
    public ScheduledWindow? NextWindow(string region, DateTimeOffset at) => CalendarOf(region).NextWindow(at);

    /// <summary>The window of <paramref name="region"/> in force now, or null.</summary>
    public ScheduledWindow? WindowNow(string region) => WindowAt(region, time.GetUtcNow());

    private MaintenanceCalendar CalendarOf(string region) =>
        calendars.TryGetValue(region, out var calendar) ? calendar : throw new ArgumentException($"unknown IBKR region '{region}'", nameof(region));
}

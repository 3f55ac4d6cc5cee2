namespace OrderProcessor.Brokerage.Availability;

/// <summary>
/// The maintenance windows of one region: recurring local windows in the region's time zone, turned into instants.
/// Windows that overlap or touch (a nightly restart inside the weekend maintenance) count as one. Pure: every instant
/// is passed in.
/// </summary>
public sealed class MaintenanceCalendar
{
    /// <summary>How far ahead <see cref="NextWindow"/> looks: a weekly window always comes within it.</summary>
    private const int DaysAhead = 8;

    private readonly IReadOnlyList<RecurringWindow> _windows;
    private readonly int _daysBack;

    public MaintenanceCalendar(string region, TimeZoneInfo zone, IReadOnlyList<RecurringWindow> windows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(windows);
        Region = region;
        Zone = zone;
        _windows = [.. windows.Where(w => w.Length > TimeSpan.Zero)];
        // A window that started on an earlier local date may still be on (over midnight, or longer than a day).
        var longest = _windows.Count == 0 ? TimeSpan.Zero : _windows.Max(w => w.Length);
        _daysBack = (int)Math.Ceiling(longest.TotalDays) + 1;
    }

    public string Region { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>The window <paramref name="at"/> falls in, or null.</summary>
    public ScheduledWindow? WindowAt(DateTimeOffset at) => Around(at, daysAhead: 1).FirstOrDefault(w => w.Contains(at));

    /// <summary>The window <paramref name="at"/> falls in, else the next one to start; null when none is configured.</summary>
    public ScheduledWindow? NextWindow(DateTimeOffset at) => Around(at, DaysAhead).FirstOrDefault(w => w.End > at);

    /// <summary>The merged windows from <see cref="_daysBack"/> local days before <paramref name="at"/> to <paramref name="daysAhead"/> after, in order.</summary>
    private List<ScheduledWindow> Around(DateTimeOffset at, int daysAhead)
    {
        var today = LocalTimes.DateIn(Zone, at);
        var all = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        for (var date = today.AddDays(-_daysBack); date <= today.AddDays(daysAhead); date = date.AddDays(1))
        {
            foreach (var window in _windows.Where(w => w.StartsOn(date)))
            {
                var start = LocalTimes.ToInstant(Zone, date, window.Start);
                all.Add((start, start + window.Length));
            }
        }

        all.Sort((a, b) => a.Start.CompareTo(b.Start));
        var merged = new List<ScheduledWindow>();
        foreach (var (start, end) in all)
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                if (end > merged[^1].End)
                    merged[^1] = merged[^1] with { End = end };
                continue;
            }

            merged.Add(new ScheduledWindow(Region, start, end));
        }

        return merged;
    }
}

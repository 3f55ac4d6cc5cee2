namespace OrderProcessor.Brokerage.Availability;

/// <summary>
/// A window that comes back at a local time: every day (<see cref="Day"/> null) or every week on <see cref="Day"/>. Its
/// length is elapsed time, so a window over a daylight-saving change keeps its length.
/// </summary>
public sealed record RecurringWindow(DayOfWeek? Day, TimeOnly Start, TimeSpan Length)
{
    public bool StartsOn(DateOnly localDate) => Day is not { } day || localDate.DayOfWeek == day;
}

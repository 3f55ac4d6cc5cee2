namespace OrderProcessor.Brokerage.Availability;

/// <summary>One maintenance window of a region as instants: from <see cref="Start"/> (included) to <see cref="End"/> (excluded).</summary>
public sealed record ScheduledWindow(string Region, DateTimeOffset Start, DateTimeOffset End)
{
    public TimeSpan Length => End - Start;

    public bool Contains(DateTimeOffset at) => at >= Start && at < End;
}

namespace OrderProcessor.Brokerage.Availability;

/// <summary>Local wall-clock times of a time zone as instants, daylight-saving changes included.</summary>
public static class LocalTimes
{
    /// <summary>
    /// The instant of <paramref name="time"/> on <paramref name="date"/> in <paramref name="zone"/>. A time that does not
    /// exist (the spring-forward gap) moves forward to the first minute that does; a time that exists twice (fall-back)
    /// is the earlier one (the daylight offset), so a window never starts later than its local time says.
    /// </summary>
    public static DateTimeOffset ToInstant(TimeZoneInfo zone, DateOnly date, TimeOnly time)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
            local = local.AddMinutes(1);

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The local date of <paramref name="at"/> in <paramref name="zone"/>.</summary>
    public static DateOnly DateIn(TimeZoneInfo zone, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
    }
}

using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Availability;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

/// <summary>
/// IBKR's windows per region in the region's own time zone: nightly at 00:55 local for 20 min, Saturday 23:00 local for
/// 3 h; daylight-saving gaps and overlaps, windows over midnight, overlapping windows as one.
/// </summary>
public sealed class When_maintenance_windows_are_computed(ITestOutputHelper output)
{
    private static readonly RecurringWindow Nightly = new(null, new TimeOnly(0, 55), TimeSpan.FromMinutes(20));
    private static readonly RecurringWindow Weekly = new(DayOfWeek.Saturday, new TimeOnly(23, 0), TimeSpan.FromHours(3));

    private static MaintenanceSchedule Schedule(params RecurringWindow[] windows) => Schedule(new FakeTimeProvider(), windows);

    private static MaintenanceSchedule Schedule(TimeProvider time, params RecurringWindow[] windows)
    {
        RecurringWindow[] all = windows.Length == 0 ? [Nightly, Weekly] : windows;
        return new MaintenanceSchedule(new Dictionary<string, MaintenanceCalendar>(StringComparer.Ordinal)
        {
            ["NorthAmerica"] = new("NorthAmerica", TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), all),
            ["Europe"] = new("Europe", TimeZoneInfo.FindSystemTimeZoneById("Europe/Zurich"), all),
            ["Asia"] = new("Asia", TimeZoneInfo.FindSystemTimeZoneById("Asia/Hong_Kong"), all),
        }, time);
    }

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private void Print(string what, ScheduledWindow? window) =>
        output.WriteLine($"{what}: {(window is null ? "none" : $"{window.Start.UtcDateTime:yyyy-MM-dd HH:mm}Z → {window.End.UtcDateTime:yyyy-MM-dd HH:mm}Z ({window.Length.TotalMinutes:0} min)")}");

    [Theory]
    [InlineData("NorthAmerica", "2026-01-14T05:55:00", "2026-01-14T06:15:00")] // 00:55 EST
    [InlineData("Europe", "2026-01-13T23:55:00", "2026-01-14T00:15:00")] // 00:55 CET, the UTC day before
    [InlineData("Asia", "2026-01-13T16:55:00", "2026-01-13T17:15:00")] // 00:55 HKT
    public void Should_put_each_regions_nightly_window_at_00_55_local(string region, string start, string end)
    {
        var schedule = Schedule();
        var window = schedule.NextWindow(region, Utc("2026-01-13T12:00:00"));
        var inside = schedule.WindowAt(region, Utc(start).AddMinutes(10));

        Print($"{region}, next after 2026-01-13 12:00Z", window);
        Assert.NotNull(window);
        Assert.Equal(Utc(start), window.Start);
        Assert.Equal(Utc(end), window.End);
        Assert.Equal(window, inside);
        Assert.Equal(window, schedule.WindowAt(region, Utc(start))); // the start is in
        Assert.Null(schedule.WindowAt(region, Utc(end))); // the end is out
        Assert.Null(schedule.WindowAt(region, Utc(start).AddTicks(-1)));
    }

    [Fact]
    public void Should_keep_new_york_windows_at_local_time_and_length_over_both_changes()
    {
        // Nightly only: the clocks change on Sunday nights, inside the Saturday window (merged with it, see below).
        var schedule = Schedule(Nightly);

        // 2026-03-08 02:00 EST → 03:00 EDT: the night's window is before the change (EST), the next night's after it (EDT).
        var springDay = schedule.WindowAt("NorthAmerica", Utc("2026-03-08T06:00:00"));
        var springNext = schedule.WindowAt("NorthAmerica", Utc("2026-03-09T05:00:00"));
        // 2026-11-01 02:00 EDT → 01:00 EST: 00:55 EDT for 20 elapsed minutes (ends 01:15 EDT, not 01:15 EST).
        var fallDay = schedule.WindowAt("NorthAmerica", Utc("2026-11-01T05:00:00"));
        var fallNext = schedule.WindowAt("NorthAmerica", Utc("2026-11-02T06:00:00"));

        Print("2026-03-08 (spring forward)", springDay);
        Print("2026-03-09", springNext);
        Print("2026-11-01 (fall back)", fallDay);
        Print("2026-11-02", fallNext);
        Assert.Equal((Utc("2026-03-08T05:55:00"), Utc("2026-03-08T06:15:00")), (springDay!.Start, springDay.End));
        Assert.Equal((Utc("2026-03-09T04:55:00"), Utc("2026-03-09T05:15:00")), (springNext!.Start, springNext.End));
        Assert.Equal((Utc("2026-11-01T04:55:00"), Utc("2026-11-01T05:15:00")), (fallDay!.Start, fallDay.End));
        Assert.Null(schedule.WindowAt("NorthAmerica", Utc("2026-11-01T05:20:00"))); // 01:20 EDT: over, though 01:15 EST comes again
        Assert.Equal((Utc("2026-11-02T05:55:00"), Utc("2026-11-02T06:15:00")), (fallNext!.Start, fallNext.End));
    }

    [Fact]
    public void Should_keep_zurich_windows_at_local_time_over_both_changes()
    {
        var schedule = Schedule(Nightly);

        // 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
        var springDay = schedule.NextWindow("Europe", Utc("2026-03-28T12:00:00"));
        var springNext = schedule.NextWindow("Europe", Utc("2026-03-29T12:00:00"));
        var fallDay = schedule.NextWindow("Europe", Utc("2026-10-24T12:00:00"));
        var fallNext = schedule.NextWindow("Europe", Utc("2026-10-25T12:00:00"));

        Print("2026-03-29 (spring forward)", springDay);
        Print("2026-03-30", springNext);
        Print("2026-10-25 (fall back)", fallDay);
        Print("2026-10-26", fallNext);
        Assert.Equal(Utc("2026-03-28T23:55:00"), springDay!.Start); // 00:55 CET
        Assert.Equal(Utc("2026-03-29T22:55:00"), springNext!.Start); // 00:55 CEST
        Assert.Equal(Utc("2026-10-24T22:55:00"), fallDay!.Start); // 00:55 CEST
        Assert.Equal(Utc("2026-10-25T23:55:00"), fallNext!.Start); // 00:55 CET
        Assert.All([springDay, springNext, fallDay, fallNext], w => Assert.Equal(TimeSpan.FromMinutes(20), w.Length));
    }

    [Fact]
    public void Should_move_a_start_in_the_spring_forward_gap_to_the_first_valid_minute_and_take_the_earlier_of_a_doubled_time()
    {
        var schedule = Schedule(new RecurringWindow(null, new TimeOnly(2, 30), TimeSpan.FromMinutes(20)));
        var atOneThirty = Schedule(new RecurringWindow(null, new TimeOnly(1, 30), TimeSpan.FromMinutes(20)));

        var newYorkGap = schedule.NextWindow("NorthAmerica", Utc("2026-03-08T05:00:00")); // 02:30 does not exist: 03:00 EDT
        var zurichGap = schedule.NextWindow("Europe", Utc("2026-03-28T23:30:00")); // 02:30 does not exist: 03:00 CEST
        var newYorkTwice = atOneThirty.NextWindow("NorthAmerica", Utc("2026-11-01T04:00:00")); // 01:30 twice: the EDT one
        var zurichTwice = schedule.NextWindow("Europe", Utc("2026-10-24T23:00:00")); // 02:30 twice: the CEST one

        Print("New York 02:30 on 2026-03-08", newYorkGap);
        Print("Zurich 02:30 on 2026-03-29", zurichGap);
        Print("New York 01:30 on 2026-11-01", newYorkTwice);
        Print("Zurich 02:30 on 2026-10-25", zurichTwice);
        Assert.Equal((Utc("2026-03-08T07:00:00"), Utc("2026-03-08T07:20:00")), (newYorkGap!.Start, newYorkGap.End));
        Assert.Equal((Utc("2026-03-29T01:00:00"), Utc("2026-03-29T01:20:00")), (zurichGap!.Start, zurichGap.End));
        Assert.Equal((Utc("2026-11-01T05:30:00"), Utc("2026-11-01T05:50:00")), (newYorkTwice!.Start, newYorkTwice.End));
        Assert.Equal((Utc("2026-10-25T00:30:00"), Utc("2026-10-25T00:50:00")), (zurichTwice!.Start, zurichTwice.End));
    }

    [Fact]
    public void Should_find_a_window_that_started_before_local_midnight()
    {
        var schedule = Schedule(new RecurringWindow(null, new TimeOnly(23, 50), TimeSpan.FromMinutes(30)));

        // 00:10 EST on 2026-01-15 is inside the window of 2026-01-14 23:50.
        var window = schedule.WindowAt("NorthAmerica", Utc("2026-01-15T05:10:00"));

        Print("New York at 00:10 local", window);
        Assert.Equal((Utc("2026-01-15T04:50:00"), Utc("2026-01-15T05:20:00")), (window!.Start, window.End));
    }

    [Fact]
    public void Should_merge_the_nightly_window_into_the_saturday_window_and_keep_three_elapsed_hours_over_a_change()
    {
        var schedule = Schedule();

        // Saturday 2026-01-17 23:00 EST for 3 h; Sunday's nightly 00:55 falls inside it.
        var saturday = schedule.WindowAt("NorthAmerica", Utc("2026-01-18T06:00:00")); // Sunday 01:00 EST
        var atEnd = schedule.WindowAt("NorthAmerica", Utc("2026-01-18T07:00:00"));
        // Saturday 2026-03-07 23:00 EST; the clocks jump at 02:00: 3 elapsed hours end at 03:00 EDT.
        var overTheChange = schedule.WindowAt("NorthAmerica", Utc("2026-03-08T06:30:00"));
        var hongKong = schedule.WindowAt("Asia", Utc("2026-01-17T16:30:00")); // Sunday 00:30 HKT

        Print("Saturday 2026-01-17, New York", saturday);
        Print("Saturday 2026-03-07, New York (spring forward inside)", overTheChange);
        Print("Saturday 2026-01-17, Hong Kong", hongKong);
        Assert.Equal((Utc("2026-01-18T04:00:00"), Utc("2026-01-18T07:00:00")), (saturday!.Start, saturday.End));
        Assert.Null(atEnd);
        Assert.Equal((Utc("2026-03-08T04:00:00"), Utc("2026-03-08T07:00:00")), (overTheChange!.Start, overTheChange.End));
        Assert.Equal((Utc("2026-01-17T15:00:00"), Utc("2026-01-17T18:00:00")), (hongKong!.Start, hongKong.End));
        Assert.Null(schedule.WindowAt("NorthAmerica", Utc("2026-01-21T04:00:00"))); // a Tuesday at 23:00 EST
    }

    [Fact]
    public void Should_find_a_window_longer_than_a_day_and_the_next_window_from_now()
    {
        var time = new FakeTimeProvider(Utc("2026-01-19T12:00:00")); // Monday
        var schedule = Schedule(time, new RecurringWindow(DayOfWeek.Saturday, new TimeOnly(20, 0), TimeSpan.FromHours(50)));

        var monday = schedule.WindowNow("NorthAmerica"); // Saturday 20:00 EST + 50 h = Monday 22:00 EST
        time.Advance(TimeSpan.FromHours(12)); // Tuesday 00:00Z = Monday 19:00 EST
        var stillOn = schedule.WindowNow("NorthAmerica");
        time.Advance(TimeSpan.FromHours(4)); // Monday 23:00 EST
        var over = schedule.WindowNow("NorthAmerica");
        var next = schedule.NextWindow("NorthAmerica", time.GetUtcNow());

        Print("Monday noon UTC", monday);
        Print("next after Monday 23:00 EST", next);
        Assert.Equal((Utc("2026-01-18T01:00:00"), Utc("2026-01-20T03:00:00")), (monday!.Start, monday.End));
        Assert.Equal(monday, stillOn);
        Assert.Null(over);
        Assert.Equal(Utc("2026-01-25T01:00:00"), next!.Start);
    }

    [Fact]
    public void Should_refuse_an_unknown_region()
    {
        var error = Assert.Throws<ArgumentException>(() => Schedule().WindowAt("Mars", Utc("2026-01-14T05:55:00")));

        output.WriteLine(error.Message);
        Assert.Contains("Mars", error.Message, StringComparison.Ordinal);
    }
}

using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Availability;
using OrderProcessor.Brokerage.Tests.Infrastructure;
using OrderProcessor.Contracts;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

/// <summary>
/// The availability's own rules on a fake clock: a 503 is a suspicion (a probe, at most one per interval), connected:false
/// holds the user, two users within DetectWithin (or one near a scheduled window) hold the region, a connected probe
/// releases the region's users, the end of a scheduled window releases its users.
/// </summary>
public sealed class When_ibkr_availability_is_tracked(ITestOutputHelper output)
{
    // Wednesday 2026-01-14 19:00Z: 14:00 New York, 20:00 Zurich, 03:00 Hong Kong, no region in a window (New York's nightly
    // window is 00:55-01:15 local, i.e. 05:55Z-06:15Z).
    private static readonly DateTimeOffset Noon = new(2026, 1, 14, 19, 0, 0, TimeSpan.Zero);

    private static (IbkrAvailability Availability, FakeTimeProvider Time, List<string> Released) Start(DateTimeOffset at, Action<MaintenanceOptions>? configure = null)
    {
        var options = new MaintenanceOptions();
        options.UserRegions["zurich-user"] = "Europe";
        configure?.Invoke(options);
        var time = new FakeTimeProvider(at);
        var availability = new IbkrAvailability(Options.Create(options), time, TestMetrics.Create(), NullLogger<IbkrAvailability>.Instance);
        var released = new List<string>();
        availability.Released += users => released.AddRange(users);
        return (availability, time, released);
    }

    [Fact]
    public void Should_probe_a_suspected_user_once_per_interval_and_hold_it_only_on_connected_false()
    {
        var (availability, time, _) = Start(Noon);

        availability.ReportOutageAnswer("alice", OutageAnswer.ServiceUnavailable);
        var first = availability.TakeDueProbes();
        availability.ProbeAnswered("alice", ProbeResult.Connected);
        availability.ReportOutageAnswer("alice", OutageAnswer.ServiceUnavailable);
        var tooSoon = availability.TakeDueProbes();
        time.Advance(TimeSpan.FromSeconds(15));
        var later = availability.TakeDueProbes();
        var afterConnected = availability.Check("alice");
        availability.ProbeAnswered("alice", ProbeResult.Disconnected);
        var afterDisconnected = availability.Check("alice");

        output.WriteLine($"probes: at once [{string.Join(",", first)}], 0 s later [{string.Join(",", tooSoon)}], 15 s later [{string.Join(",", later)}]; after connected {afterConnected.Available}; after not connected {afterDisconnected.Available} ({afterDisconnected.Reason})");
        Assert.Equal(["alice"], first);
        Assert.Empty(tooSoon);
        Assert.Equal(["alice"], later);
        Assert.True(afterConnected.Available);
        Assert.False(afterDisconnected.Available);
        Assert.Equal((HoldCause.IbkrUnavailable, "NorthAmerica", (DateTimeOffset?)null), (afterDisconnected.Cause, afterDisconnected.Region, afterDisconnected.ExpectedUntil));
    }

    [Fact]
    public void Should_hold_the_region_only_for_two_users_within_detect_within_and_release_all_its_users_on_one_connected_probe()
    {
        var (availability, time, released) = Start(Noon);
        availability.Check("carol"); // a user of the region that never failed

        availability.ReportOutageAnswer("alice", OutageAnswer.Disconnected);
        time.Advance(TimeSpan.FromSeconds(11)); // past DetectWithin (10 s)
        availability.ReportOutageAnswer("bob", OutageAnswer.Disconnected);
        var carolAfterTwoApart = availability.Check("carol").Available;
        time.Advance(TimeSpan.FromSeconds(3));
        availability.ReportOutageAnswer("dave", OutageAnswer.Disconnected);
        var carolAfterTwoClose = availability.Check("carol");
        var zurich = availability.Check("zurich-user").Available;
        var (regions, users) = availability.Unavailable();
        time.Advance(TimeSpan.FromSeconds(15));
        var probes = availability.TakeDueProbes();
        availability.ProbeAnswered("bob", ProbeResult.Connected);

        output.WriteLine($"carol after two users 11 s apart: {carolAfterTwoApart}; 3 s apart: {carolAfterTwoClose.Available} ({carolAfterTwoClose.Reason}); zurich {zurich}; unavailable regions [{string.Join(",", regions)}] users [{string.Join(",", users)}]; probes [{string.Join(",", probes)}]; released [{string.Join(",", released.Order(StringComparer.Ordinal))}]");
        Assert.True(carolAfterTwoApart);
        Assert.False(carolAfterTwoClose.Available);
        Assert.True(zurich);
        Assert.Equal(["NorthAmerica"], regions);
        Assert.Empty(users);
        Assert.Equal(["alice", "bob", "dave"], probes.Order(StringComparer.Ordinal));
        Assert.Equal(["alice", "bob", "carol", "dave"], released.Order(StringComparer.Ordinal));
        Assert.All(["alice", "bob", "carol", "dave"], u => Assert.True(availability.Check(u).Available));
    }

    [Fact]
    public void Should_hold_the_region_on_one_user_near_a_scheduled_window_and_not_probe_during_a_window()
    {
        var (availability, time, released) = Start(At("2026-01-14T06:30:00")); // 15 min after the nightly window

        availability.ReportOutageAnswer("alice", OutageAnswer.Disconnected);
        var carol = availability.Check("carol");
        var (availability2, time2, released2) = Start(At("2026-01-14T05:50:00")); // 5 min before the next one
        availability2.Check("carol");
        time2.Advance(TimeSpan.FromMinutes(6)); // 05:56Z: in the window
        var inWindow = availability2.Check("carol");
        availability2.Sweep();
        time2.Advance(TimeSpan.FromMinutes(19)); // 06:15Z: over
        var probesInWindow = availability2.TakeDueProbes();
        availability2.Sweep();

        output.WriteLine($"one user 15 min after a window: carol {carol.Available} ({carol.Reason}); in the window: {inWindow.Cause} until {inWindow.ExpectedUntil:u}; released at its end [{string.Join(",", released2)}]");
        Assert.False(carol.Available);
        Assert.Equal(HoldCause.IbkrUnavailable, carol.Cause);
        Assert.False(inWindow.Available);
        Assert.Equal(HoldCause.ScheduledMaintenance, inWindow.Cause);
        Assert.Equal(At("2026-01-14T06:15:00"), inWindow.ExpectedUntil);
        Assert.Empty(probesInWindow);
        Assert.Equal(["carol"], released2);
        Assert.True(availability2.Check("carol").Available);
        Assert.Empty(released);
        _ = time;
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)]
    public void Should_hold_calls_from_hold_before_ahead_of_a_window_until_its_end(double holdBeforeSeconds)
    {
        // New York's nightly window is 05:55Z-06:15Z on 2026-01-14.
        var holdBefore = TimeSpan.FromSeconds(holdBeforeSeconds);
        var start = At("2026-01-14T05:55:00");
        var (availability, time, released) = Start(start - TimeSpan.FromSeconds(5), o => o.HoldBefore = holdBefore);
        var samples = new List<(TimeSpan FromStart, bool Available, bool RegionListed)>();
        foreach (var offset in new[] { -1.5, -1.0, -0.5, 0.0 })
        {
            time.SetUtcNow(start + TimeSpan.FromSeconds(offset));
            var check = availability.Check("carol");
            availability.Sweep();
            samples.Add((TimeSpan.FromSeconds(offset), check.Available, availability.Unavailable().Regions.Contains("NorthAmerica")));
            if (!check.Available)
                Assert.Equal((HoldCause.ScheduledMaintenance, (DateTimeOffset?)At("2026-01-14T06:15:00")), (check.Cause, check.ExpectedUntil));
        }

        time.SetUtcNow(At("2026-01-14T06:15:00"));
        availability.Sweep();

        output.WriteLine($"hold before {holdBefore.TotalSeconds:0.0} s: {string.Join(", ", samples.Select(s => $"{s.FromStart.TotalSeconds:+0.0;-0.0;0} s {(s.Available ? "available" : "held")}"))}; released at the end [{string.Join(",", released)}]");
        Assert.All(samples, s => Assert.Equal(s.FromStart < -holdBefore, s.Available));
        Assert.All(samples, s => Assert.Equal(!s.Available, s.RegionListed));
        Assert.Equal(["carol"], released);
        Assert.True(availability.Check("carol").Available);
    }

    [Fact]
    public void Should_not_suspect_a_503_that_a_scheduled_window_explains()
    {
        // A read let go just before the window meets its 503 a moment into it (a loaded CI run saw the probe that
        // followed): the window already says IBKR is away, and its end releases the user.
        var (availability, time, _) = Start(At("2026-01-14T05:56:00")); // in the nightly window (05:55Z-06:15Z)

        availability.ReportOutageAnswer("carol", OutageAnswer.ServiceUnavailable);
        var inWindow = availability.TakeDueProbes();
        time.Advance(TimeSpan.FromMinutes(20)); // 06:16Z: over
        availability.Sweep();
        var after = availability.TakeDueProbes();

        Assert.Empty(inWindow);
        Assert.Empty(after);
        Assert.True(availability.Check("carol").Available);
    }

    [Fact]
    public void Should_be_always_available_when_disabled()
    {
        var (availability, time, _) = Start(At("2026-01-14T06:00:00"), o => o.Enabled = false); // inside the nightly window

        availability.ReportOutageAnswer("alice", OutageAnswer.Disconnected);
        var check = availability.Check("alice");

        output.WriteLine($"disabled, inside a window, after connected:false: available {check.Available}");
        Assert.True(check.Available);
        var (regions, users) = availability.Unavailable();
        Assert.Empty(regions);
        Assert.Empty(users);
        Assert.Empty(availability.TakeDueProbes());
        _ = time;
    }

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Streaming;
using Xunit.Abstractions;

namespace OrderProcessor.Brokerage.Tests.Unit;

public sealed class When_the_heartbeat_stops(ITestOutputHelper output)
{
    [Fact]
    public void Should_call_the_socket_stale_only_after_the_timeout_without_any_frame()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var watchdog = new HeartbeatWatchdog(time, TimeSpan.FromSeconds(35));

        for (var i = 0; i < 6; i++)
        {
            time.Advance(TimeSpan.FromSeconds(10));
            watchdog.FrameSeen();
        }

        var freshAfterHeartbeats = watchdog.IsStale;
        time.Advance(TimeSpan.FromSeconds(35));
        var atTimeout = watchdog.IsStale;
        time.Advance(TimeSpan.FromSeconds(1));
        var pastTimeout = watchdog.IsStale;

        output.WriteLine($"hb every 10 s: stale={freshAfterHeartbeats}; 35 s silent: stale={atTimeout}; 36 s silent: stale={pastTimeout} (age {watchdog.Age.TotalSeconds} s)");
        Assert.False(freshAfterHeartbeats);
        Assert.False(atTimeout);
        Assert.True(pastTimeout);
    }

    [Fact]
    public void Should_send_a_tic_every_interval()
    {
        var time = new FakeTimeProvider();
        var tic = new TicSender(time, TimeSpan.FromSeconds(30));
        var sentAt = new List<double>();
        for (var second = 1; second <= 120; second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            if (tic.IsDue)
            {
                tic.MarkSent();
                sentAt.Add(second);
            }
        }

        output.WriteLine("tic sent at s: " + string.Join(", ", sentAt));
        Assert.Equal([30, 60, 90, 120], sentAt);
    }

    [Fact]
    public void Should_refuse_to_send_before_the_success_frame()
    {
        var gate = new SystemSuccessGate();

        Assert.Throws<InvalidOperationException>(gate.EnsureOpen);
        gate.Observe(new HeartbeatFrame());
        Assert.False(gate.IsOpen);
        gate.Observe(new SystemSuccessFrame("u"));
        gate.EnsureOpen();
        Assert.True(gate.Opened.IsCompletedSuccessfully);
    }
}

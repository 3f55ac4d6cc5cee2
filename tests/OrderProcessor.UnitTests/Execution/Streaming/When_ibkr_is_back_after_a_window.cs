using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Configuration;
using OrderProcessor.Execution;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// After a maintenance window (or an outage) a user's live orders are read at once and then at the poll interval for a
/// while, even with a healthy stream: what ended at the exchange during the window is settled from those reads.
/// </summary>
public sealed class When_ibkr_is_back_after_a_window(ITestOutputHelper output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    [Fact]
    public void Should_read_at_once_then_at_the_poll_interval_until_the_reads_after_the_window_end()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 6, 15, 0, TimeSpan.Zero));
        var schedule = new ReconcileSchedule(Options.Create(new LifecycleOptions { StatusPollInterval = Poll, SafetyPollInterval = Safety }), time);
        schedule.Polled("u", time.GetUtcNow());
        schedule.Answered("u", time.GetUtcNow());
        var until = time.GetUtcNow() + TimeSpan.FromMinutes(2);

        schedule.RequestAfterWindow("u", until);
        var atOnce = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow());
        schedule.Polled("u", time.GetUtcNow());
        schedule.Answered("u", time.GetUtcNow());
        var early = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow() + Poll - TimeSpan.FromMilliseconds(1));
        var again = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow() + Poll);
        time.Advance(TimeSpan.FromMinutes(2));
        schedule.Polled("u", time.GetUtcNow());
        schedule.Answered("u", time.GetUtcNow());
        var after = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow() + Poll);

        output.WriteLine($"streaming user after a window: at once {atOnce}; {Poll.TotalSeconds} s - 1 ms later {early}; {Poll.TotalSeconds} s later {again}; once the 2 min are over, {Poll.TotalSeconds} s after a read {after}");
        Assert.Equal((true, ReconcileCause.MaintenanceEnded), atOnce);
        Assert.Equal((false, ReconcileCause.MaintenanceEnded), early);
        Assert.Equal((true, ReconcileCause.MaintenanceEnded), again);
        Assert.Equal((false, ReconcileCause.SafetyInterval), after);
    }
}

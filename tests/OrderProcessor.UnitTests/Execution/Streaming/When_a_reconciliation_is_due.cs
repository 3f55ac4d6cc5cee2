using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OrderProcessor.Brokerage.Streaming;
using OrderProcessor.Configuration;
using OrderProcessor.Execution;
using Xunit.Abstractions;

namespace OrderProcessor.UnitTests.Execution.Streaming;

/// <summary>
/// The schedule of REST reads once the websocket is the main source: the safety interval while streaming, the poll
/// interval otherwise, at once after a gap, and the poll interval again while orders stay unlisted.
/// </summary>
public sealed class When_a_reconciliation_is_due(ITestOutputHelper output)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(60);

    public static TheoryData<OrderStreamState> NotStreaming => [OrderStreamState.NotFollowed, OrderStreamState.Connecting, OrderStreamState.Reconnecting, OrderStreamState.PollingOnly];

    public static TheoryData<ReconcileCause> Requested => [.. Enum.GetValues<ReconcileCause>()];

    private static (ReconcileSchedule Schedule, FakeTimeProvider Time) Create()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero));
        return (new ReconcileSchedule(Options.Create(new LifecycleOptions { StatusPollInterval = Poll, SafetyPollInterval = Safety }), time), time);
    }

    [Fact]
    public void Should_read_a_streaming_user_at_the_safety_interval()
    {
        var (schedule, time) = Create();
        schedule.Polled("u", time.GetUtcNow());
        var early = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow() + Safety - TimeSpan.FromMilliseconds(1));
        var due = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow() + Safety);
        output.WriteLine($"streaming: at {Safety.TotalSeconds} s - 1 ms {early}, at {Safety.TotalSeconds} s {due}");

        Assert.Equal((false, ReconcileCause.SafetyInterval), early);
        Assert.Equal((true, ReconcileCause.SafetyInterval), due);
    }

    [Theory]
    [MemberData(nameof(NotStreaming))]
    public void Should_read_a_user_without_a_healthy_stream_at_the_poll_interval(OrderStreamState state)
    {
        var (schedule, time) = Create();
        schedule.Polled("u", time.GetUtcNow());
        var early = schedule.IsDue("u", state, time.GetUtcNow() + Poll - TimeSpan.FromMilliseconds(1));
        var due = schedule.IsDue("u", state, time.GetUtcNow() + Poll);
        output.WriteLine($"{state}: at {Poll.TotalSeconds} s - 1 ms {early}, at {Poll.TotalSeconds} s {due}");

        Assert.Equal((false, ReconcileCause.PollingOnly), early);
        Assert.Equal((true, ReconcileCause.PollingOnly), due);
    }

    [Theory]
    [MemberData(nameof(Requested))]
    public void Should_read_at_once_after_a_request_and_be_satisfied_only_by_a_read_begun_after_it(ReconcileCause cause)
    {
        var (schedule, time) = Create();
        var readBegan = time.GetUtcNow();
        schedule.Polled("u", readBegan);
        time.Advance(TimeSpan.FromMilliseconds(10));
        schedule.Request("u", cause);
        var requested = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow());

        // The read under way began before the request: it does not satisfy it; the next one does.
        schedule.Polled("u", readBegan);
        var afterEarlierRead = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow());
        schedule.Polled("u", time.GetUtcNow());
        var afterRead = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow());
        output.WriteLine($"{cause}: requested {requested}, after a read begun before it {afterEarlierRead}, after one begun after it {afterRead}");

        Assert.Equal((true, cause), requested);
        Assert.Equal((true, cause), afterEarlierRead);
        Assert.Equal((false, ReconcileCause.SafetyInterval), afterRead);
    }

    [Fact]
    public void Should_read_a_streaming_user_at_the_poll_interval_while_orders_stay_unlisted()
    {
        var (schedule, time) = Create();
        schedule.Polled("u", time.GetUtcNow());
        schedule.Unlisted("u", 2);
        var unlisted = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow() + Poll);
        schedule.Unlisted("u", 0);
        var settled = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow() + Poll);
        output.WriteLine($"streaming with 2 unlisted orders at {Poll.TotalSeconds} s: {unlisted}; once none is: {settled}");

        Assert.Equal((true, ReconcileCause.Unlisted), unlisted);
        Assert.Equal((false, ReconcileCause.SafetyInterval), settled);
    }

    [Fact]
    public void Should_read_a_user_never_read_at_once_and_forget_users_no_longer_followed()
    {
        var (schedule, time) = Create();
        var unknown = schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow());
        schedule.Polled("u", time.GetUtcNow());
        schedule.Answered("u", time.GetUtcNow());
        schedule.Forget("u");
        var forgotten = (schedule.Knows("u"), schedule.IsDue("u", OrderStreamState.PollingOnly, time.GetUtcNow()));
        output.WriteLine($"never read: {unknown}; forgotten: knows {forgotten.Item1}, {forgotten.Item2}");

        Assert.Equal((true, ReconcileCause.SafetyInterval), unknown);
        Assert.Equal((false, (true, ReconcileCause.PollingOnly)), forgotten);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_keep_a_requested_read_of_a_user_no_longer_followed_until_it_is_answered(bool taken)
    {
        var (schedule, time) = Create();
        schedule.Polled("u", time.GetUtcNow());
        schedule.Answered("u", time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(1));
        schedule.Request("u", ReconcileCause.Subscribed);
        if (taken)
        {
            // Taken by a read that failed (429): not answered yet.
            schedule.Polled("u", time.GetUtcNow());
            time.Advance(TimeSpan.FromSeconds(5));
        }

        schedule.Forget("u");
        var kept = (schedule.Knows("u"), schedule.IsDue("u", OrderStreamState.Streaming, time.GetUtcNow()));
        output.WriteLine($"requested{(taken ? " and taken by a read not answered" : "")}, then forgotten: knows {kept.Item1}, {kept.Item2}");

        Assert.Equal((true, (true, ReconcileCause.Subscribed)), kept);

        // Made and answered (the user followed again, or the read under way then answering): forgotten as usual, so a
        // user never followed again is not kept for ever.
        var began = time.GetUtcNow();
        schedule.Polled("u", began);
        schedule.Answered("u", began);
        Assert.False(schedule.Knows("u"));
    }
}

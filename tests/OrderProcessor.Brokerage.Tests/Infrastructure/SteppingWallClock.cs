using Microsoft.Extensions.Time.Testing;

namespace OrderProcessor.Brokerage.Tests.Infrastructure;

/// <summary>
/// A clock whose wall time can jump (NTP step, VM resume) while its monotonic timestamps and timers keep the steady
/// pace of the inner fake clock, as on a real machine.
/// </summary>
internal sealed class SteppingWallClock(FakeTimeProvider inner) : TimeProvider
{
    private TimeSpan _step;

    public FakeTimeProvider Inner { get; } = inner;

    public void StepWallClock(TimeSpan by) => _step += by;

    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow() + _step;

    public override long GetTimestamp() => Inner.GetTimestamp();

    public override long TimestampFrequency => Inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Inner.CreateTimer(callback, state, dueTime, period);
}

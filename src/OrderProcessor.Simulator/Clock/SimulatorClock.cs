namespace OrderProcessor.Simulator.Clock;

/// <summary>
/// The simulator's clock: the registered TimeProvider moved forward by an offset the control API can grow, so that a
/// test can cross a day boundary or a 24 h window without waiting. Every IBKR rule (sessions, tokens, pacing, the
/// duplicate-cOID window, trades) reads this clock. Timers and timestamps stay those of the inner provider: advancing
/// the simulated day must not fire a day's worth of engine ticks at once.
/// </summary>
public sealed class SimulatorClock(TimeProvider inner) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>The provider this clock adds its offset to (the partner's clock, for example, is not ours to move).</summary>
    public TimeProvider Inner { get; } = inner;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => Inner.GetUtcNow() + Offset;

    public override TimeZoneInfo LocalTimeZone => Inner.LocalTimeZone;

    public override long TimestampFrequency => Inner.TimestampFrequency;

    public override long GetTimestamp() => Inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>Moves the clock forward; time never goes back (that would break every "since" rule).</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _offsetTicks, by.Ticks);
    }

    /// <summary>Back to the inner provider's time (only with the rest of the simulator's state, on reset).</summary>
    public void Reset() => Interlocked.Exchange(ref _offsetTicks, 0);
}

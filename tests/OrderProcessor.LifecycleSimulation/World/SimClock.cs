namespace OrderProcessor.LifecycleSimulation.World;

/// <summary>The virtual clock every part of a simulated world reads. Only the schedule moves it.</summary>
public sealed class SimClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    // The monotonic clock (leases are proven on it) is the virtual one too.
    public override long GetTimestamp() => Now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public void Advance(TimeSpan by)
    {
        if (by > TimeSpan.Zero)
        {
            Now += by;
        }
    }
}

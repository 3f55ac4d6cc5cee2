namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Watches this test process for freezes: a thread of its own wakes every 10 ms and records, on the wall clock, each
/// time it woke more than <see cref="Threshold"/> late. The test process stops now and then for 0.7-1.7 s (cause
/// unknown; not swap): every in-process server and client stops with it, and what they had queued is handled together
/// after it. A measurement by arrival time (the simulator's) reads that as a burst nobody sent. Each freeze records how
/// much of it the runtime's GC paused the process (<see cref="GC.GetTotalPauseDuration"/>), so that a report tells a GC
/// pause from the process not being run at all.
/// </summary>
internal sealed class ProcessStallWatch : IDisposable
{
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(150);

    private readonly List<Stall> _stalls = [];
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private volatile bool _stopped;

    public ProcessStallWatch()
    {
        _thread = new Thread(Watch) { IsBackground = true, Name = "stall-watch", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Each freeze seen so far: from the last wake before it to the first after it.</summary>
    public IReadOnlyList<Stall> Stalls
    {
        get
        {
            lock (_lock)
            {
                return [.. _stalls];
            }
        }
    }

    /// <summary>Whether a freeze ended within <paramref name="before"/> of <paramref name="from"/> or before <paramref name="to"/>.</summary>
    public bool AnyNear(DateTimeOffset from, DateTimeOffset to, TimeSpan before) =>
        Stalls.Any(s => s.To >= from - before && s.From <= to);

    public void Dispose()
    {
        _stopped = true;
        _thread.Join();
    }

    private void Watch()
    {
        var last = DateTimeOffset.UtcNow;
        var lastPaused = GC.GetTotalPauseDuration();
        while (!_stopped)
        {
            Thread.Sleep(10);
            var now = DateTimeOffset.UtcNow;
            var paused = GC.GetTotalPauseDuration();
            if (now - last > Threshold)
            {
                lock (_lock)
                {
                    _stalls.Add(new Stall(last, now, paused - lastPaused));
                }
            }

            last = now;
            lastPaused = paused;
        }
    }

    /// <summary>A freeze: from the last wake before it to the first after it, and how long the GC paused the process in it.</summary>
    public sealed record Stall(DateTimeOffset From, DateTimeOffset To, TimeSpan GcPaused)
    {
        public override string ToString() => $"{(To - From).TotalMilliseconds:F0} ms (GC {GcPaused.TotalMilliseconds:F0} ms of it)";
    }
}

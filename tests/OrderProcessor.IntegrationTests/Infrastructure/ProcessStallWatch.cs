namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Watches this test process for freezes: a thread of its own wakes every 10 ms and records, on the wall clock, each
/// time it woke more than <see cref="Threshold"/> late. The test process stops now and then for 0.7-1.7 s (cause
/// unknown; not swap): every in-process server and client stops with it, and what they had queued is handled together
/// after it. A measurement by arrival time (the simulator's) reads that as a burst nobody sent. Each freeze records how
/// much of it the runtime's GC paused the process (<see cref="GC.GetTotalPauseDuration"/>), so that a report tells a GC
/// pause from the process not being run at all.
/// <para>
/// It also watches the thread pool, where every in-process client, server and timer runs: the same thread queues a probe
/// to the pool and records each probe that waited more than <see cref="Threshold"/> to run. The process runs then, but
/// nothing of the tests does (the pool's threads are all busy, with other test classes on two cores); requests granted
/// before such a wait reach the simulator with those granted after it. A CI run saw 32 arrivals within 1 s against a
/// budget of 30 with no freeze of the process: the seconds around it held 4 and 1.
/// </para>
/// </summary>
internal sealed class ProcessStallWatch : IDisposable
{
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(150);

    private readonly List<Stall> _stalls = [];
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private volatile bool _stopped;
    private long _probeQueuedAt; // UTC ticks of the probe waiting in the thread pool; 0: none

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
                Record(new Stall(last, now, paused - lastPaused));
            }

            if (Interlocked.CompareExchange(ref _probeQueuedAt, now.UtcTicks, 0) == 0)
            {
                // One probe at a time: a pool that does not run it is one stall, recorded once it runs.
                ThreadPool.UnsafeQueueUserWorkItem(static watch => watch.ProbeRan(), this, preferLocal: false);
            }

            last = now;
            lastPaused = paused;
        }
    }

    private void ProbeRan()
    {
        var queued = new DateTimeOffset(Interlocked.Exchange(ref _probeQueuedAt, 0), TimeSpan.Zero);
        var now = DateTimeOffset.UtcNow;
        if (now - queued > Threshold)
        {
            Record(new Stall(queued, now, TimeSpan.Zero, ThreadPoolOnly: true));
        }
    }

    private void Record(Stall stall)
    {
        lock (_lock)
        {
            _stalls.Add(stall);
        }
    }

    /// <summary>
    /// A freeze: from the last wake before it to the first after it, and how long the GC paused the process in it; or,
    /// <paramref name="ThreadPoolOnly"/>, how long a probe queued to the thread pool waited to run.
    /// </summary>
    public sealed record Stall(DateTimeOffset From, DateTimeOffset To, TimeSpan GcPaused, bool ThreadPoolOnly = false)
    {
        public override string ToString() => ThreadPoolOnly
            ? $"{(To - From).TotalMilliseconds:F0} ms of the thread pool not running a queued item"
            : $"{(To - From).TotalMilliseconds:F0} ms (GC {GcPaused.TotalMilliseconds:F0} ms of it)";
    }
}

namespace OrderProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Watches this test process for freezes: a thread of its own wakes every 10 ms and records, on the wall clock, each
/// time it woke more than <see cref="Threshold"/> late. The test process stops now and then for 0.7-1.7 s (cause
/// unknown; not GC, not swap): every in-process server and client stops with it, and what they had queued is handled
/// together after it. A measurement by arrival time (the simulator's) reads that as a burst nobody sent.
/// </summary>
internal sealed class ProcessStallWatch : IDisposable
{
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(150);

    private readonly List<(DateTimeOffset From, DateTimeOffset To)> _stalls = [];
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private volatile bool _stopped;

    public ProcessStallWatch()
    {
        _thread = new Thread(Watch) { IsBackground = true, Name = "stall-watch", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    /// <summary>Each freeze seen so far: from the last wake before it to the first after it.</summary>
    public IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> Stalls
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
        while (!_stopped)
        {
            Thread.Sleep(10);
            var now = DateTimeOffset.UtcNow;
            if (now - last > Threshold)
            {
                lock (_lock)
                {
                    _stalls.Add((last, now));
                }
            }

            last = now;
        }
    }
}

namespace OrderProcessor.Simulator.Streaming;

/// <summary>The faults injected into one user's sockets (all of them, including ones opened while the fault lasts).</summary>
public sealed class StreamFaults
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _stalledUntil;
    private TimeSpan _delay;
    private int _duplicates;
    private CancellationTokenSource _changed = new();

    /// <summary>Cancelled when the delay changes or the faults are cleared: a frame held back re-reads the delay.</summary>
    public CancellationToken Changed
    {
        get
        {
            lock (_gate)
                return _changed.Token;
        }
    }

    /// <summary>Lets go of frames held back by the delay (the faults were cleared).</summary>
    public void Release()
    {
        CancellationTokenSource old;
        lock (_gate)
        {
            _delay = TimeSpan.Zero;
            old = _changed;
            _changed = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    /// <summary>Nothing at all goes out (heartbeats included) before <paramref name="until"/>; what is produced meanwhile is lost.</summary>
    public void StallUntil(DateTimeOffset until)
    {
        lock (_gate)
            _stalledUntil = until;
    }

    public bool IsStalled(DateTimeOffset now)
    {
        lock (_gate)
            return _stalledUntil is { } until && now < until;
    }

    /// <summary>Every frame leaves this long after it was produced (zero: at once).</summary>
    public TimeSpan Delay
    {
        get
        {
            lock (_gate)
                return _delay;
        }

        set
        {
            CancellationTokenSource old;
            lock (_gate)
            {
                _delay = value;
                old = _changed;
                _changed = new CancellationTokenSource();
            }

            old.Cancel();
            old.Dispose();
        }
    }

    public void DuplicateNext(int count)
    {
        lock (_gate)
            _duplicates += count;
    }

    /// <summary>Whether the data frame being sent goes out twice (uses up one of the duplicates asked for).</summary>
    public bool TakeDuplicate()
    {
        lock (_gate)
        {
            if (_duplicates <= 0)
                return false;
            _duplicates--;
            return true;
        }
    }

    public StreamFaultsReport Report(DateTimeOffset now)
    {
        lock (_gate)
            return new StreamFaultsReport(_stalledUntil is { } u && now < u ? u : null, _delay, _duplicates);
    }
}

/// <summary>What is injected into one user's sockets now.</summary>
public sealed record StreamFaultsReport(DateTimeOffset? StalledUntil, TimeSpan Delay, int DuplicatesPending);

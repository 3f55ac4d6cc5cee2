namespace OrderProcessor.Simulator.Pacing;

/// <summary>Lets one call through per interval (IBKR's per-endpoint limits such as 1 per 5 s). Not thread-safe.</summary>
public sealed class MinIntervalGate(TimeSpan interval)
{
    private DateTimeOffset? _last;

    public bool TryPass(DateTimeOffset now)
    {
        if (_last is { } last && now - last < interval)
            return false;
        _last = now;
        return true;
    }
}

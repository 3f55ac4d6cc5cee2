namespace OrderProcessor.Simulator.Pacing;

/// <summary>A token bucket refilled continuously at <c>ratePerSecond</c>, holding at most that many tokens. Not thread-safe.</summary>
public sealed class TokenBucket(int ratePerSecond, DateTimeOffset now)
{
    private double _tokens = ratePerSecond;
    private DateTimeOffset _last = now;

    public bool TryTake(DateTimeOffset now)
    {
        var elapsed = (now - _last).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(ratePerSecond, _tokens + elapsed * ratePerSecond);
            _last = now;
        }

        if (_tokens < 1)
            return false;
        _tokens -= 1;
        return true;
    }
}

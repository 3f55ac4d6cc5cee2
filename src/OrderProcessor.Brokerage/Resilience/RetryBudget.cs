namespace OrderProcessor.Brokerage.Resilience;

/// <summary>
/// How many retries one user may still spend: at most <c>limit</c> within any <c>window</c>, so that a user whose calls
/// keep failing cannot multiply its own traffic (and its share of the IP) by the retry count. Thread-safe.
/// </summary>
internal sealed class RetryBudget
{
    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly Queue<long> _spent = new();

    public RetryBudget(TimeProvider time)
    {
        _time = time;
    }

    public bool TrySpend(int limit, TimeSpan window)
    {
        lock (_sync)
        {
            var now = _time.GetTimestamp();
            while (_spent.Count > 0 && _time.GetElapsedTime(_spent.Peek(), now) >= window)
            {
                _spent.Dequeue();
            }

            if (_spent.Count >= limit)
            {
                return false;
            }

            _spent.Enqueue(now);
            return true;
        }
    }
}

namespace OrderProcessor.Simulator.Control;

/// <summary>Counters the endpoints bump.</summary>
public sealed class SimulatorCounters
{
    private long _sessionsInitialised;
    private long _bearerTokensIssued;

    public long SessionsInitialised => Interlocked.Read(ref _sessionsInitialised);

    public long BearerTokensIssued => Interlocked.Read(ref _bearerTokensIssued);

    public void SessionInitialised() => Interlocked.Increment(ref _sessionsInitialised);

    public void BearerTokenIssued() => Interlocked.Increment(ref _bearerTokensIssued);

    public void Clear()
    {
        Interlocked.Exchange(ref _sessionsInitialised, 0);
        Interlocked.Exchange(ref _bearerTokensIssued, 0);
    }
}

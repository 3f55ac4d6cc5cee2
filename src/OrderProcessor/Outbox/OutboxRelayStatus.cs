namespace OrderProcessor.Outbox;

/// <summary>The relay's last outcome, for health checks and logs.</summary>
public sealed class OutboxRelayStatus
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSuccess;
    private DateTimeOffset? _lastFailure;
    private string? _lastError;

    public (DateTimeOffset? LastSuccess, DateTimeOffset? LastFailure, string? LastError) Snapshot()
    {
        lock (_gate)
        {
            return (_lastSuccess, _lastFailure, _lastError);
        }
    }

    internal void Succeeded(DateTimeOffset at)
    {
        lock (_gate)
        {
            _lastSuccess = at;
        }
    }

    internal void Failed(DateTimeOffset at, string error)
    {
        lock (_gate)
        {
            (_lastFailure, _lastError) = (at, error);
        }
    }
}

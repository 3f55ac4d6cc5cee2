using OrderProcessor.Simulator.Clock;

namespace OrderProcessor.Simulator.Maintenance;

/// <summary>
/// Whether IBKR's brokerage back-end is in maintenance now, and until when (simulator clock): for everyone, or only for
/// some users (their server restarts alone). The window ends by itself at <see cref="Until"/>, or when the control API
/// ends it.
/// </summary>
public sealed class MaintenanceWindow(SimulatorClock time)
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _until;
    private IReadOnlySet<string>? _users;
    private long _refusals;

    /// <summary>When the current (or last) window ends; null when none was started since the last reset.</summary>
    public DateTimeOffset? Until
    {
        get
        {
            lock (_gate)
                return _until;
        }
    }

    public bool IsActive => Until is { } until && time.GetUtcNow() < until;

    /// <summary>The users the window is for; null: every user.</summary>
    public IReadOnlySet<string>? Users
    {
        get
        {
            lock (_gate)
                return _users;
        }
    }

    /// <summary>Whether the window is on now for <paramref name="userId"/>.</summary>
    public bool IsActiveFor(string? userId)
    {
        lock (_gate)
        {
            if (_until is not { } until || time.GetUtcNow() >= until)
                return false;
            return _users is null || (userId is not null && _users.Contains(userId));
        }
    }

    /// <summary>Requests answered by the window instead of IBKR's endpoints (tickle, status, init, refused calls, refused upgrades).</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    public void Start(DateTimeOffset until, IReadOnlyCollection<string>? users = null)
    {
        lock (_gate)
        {
            _until = until;
            _users = users is null ? null : new HashSet<string>(users, StringComparer.Ordinal);
        }
    }

    /// <summary>Ends the window now (a window already over stays as it was).</summary>
    public void End()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_until is { } until && until > now)
                _until = now;
        }
    }

    public void Refused() => Interlocked.Increment(ref _refusals);

    public void Clear()
    {
        lock (_gate)
        {
            _until = null;
            _users = null;
        }

        Interlocked.Exchange(ref _refusals, 0);
    }
}

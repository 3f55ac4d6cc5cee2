using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Diagnostics;
using OrderProcessor.Contracts;

namespace OrderProcessor.Brokerage.Availability;

/// <summary>
/// Whether IBKR's brokerage back-end is there for a user: not during its region's scheduled maintenance windows, not while
/// the region or the user was detected down. Detection: a 503 is only a suspicion (IBKR answers 503 for an earlier
/// session's order status too) and asks for a probe; <c>connected:false</c> (auth/status, init, tickle) marks the user
/// down; <see cref="MaintenanceOptions.DetectUsers"/> users of a region within <see cref="MaintenanceOptions.DetectWithin"/>,
/// or one user within <see cref="MaintenanceOptions.DetectGrace"/> of a scheduled window, mark the region down. One
/// probe per <see cref="MaintenanceOptions.ProbeInterval"/> per user found down says when it is back (the region with it).
/// Public so that a model of IBKR (the lifecycle simulation) can drive it on its own clock.
/// </summary>
public sealed partial class IbkrAvailability : IIbkrAvailability, IOutageReports
{
    private readonly Lock _gate = new();
    private readonly MaintenanceOptions _options;
    private readonly MaintenanceSchedule _schedule;
    private readonly TimeProvider _time;
    private readonly BrokerageMetrics _metrics;
    private readonly ILogger<IbkrAvailability> _logger;
    private readonly Dictionary<string, DateTimeOffset> _regionsDown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, UserDown> _usersDown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _suspects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastProbe = new(StringComparer.Ordinal);
    private readonly List<(string User, string Region, DateTimeOffset At)> _recentDisconnects = [];
    private readonly Dictionary<string, HashSet<string>> _knownUsers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (DateTimeOffset ComputedAt, ScheduledWindow? Next)> _nextWindow = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inWindow = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _probeWanted = new(0);
    private volatile bool _anythingDetected;

    public IbkrAvailability(IOptions<MaintenanceOptions> options, TimeProvider time, BrokerageMetrics metrics, ILogger<IbkrAvailability> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _schedule = MaintenanceSchedule.From(_options, time);
        _metrics.ObserveAvailability(RegionsAvailable);
    }

    public event Action<IReadOnlyCollection<string>>? Released;

    /// <summary>A region or a user turned unavailable (true) or available (false); the key is a region or a user id.</summary>
    public event Action<string, bool>? Changed;

    public bool Enabled => _options.Enabled;

    public bool Tracking => _options.Enabled;

    /// <summary>Released when a probe is wanted at once (a suspicion); the probe loop waits on it.</summary>
    public SemaphoreSlim ProbeWanted => _probeWanted;

    public string RegionOf(string userId) => UserRegionMap.RegionOf(_options, userId);

    public Availability Check(string userId)
    {
        var region = RegionOf(userId);
        if (!_options.Enabled)
            return new Availability(true, HoldCause.IbkrUnavailable, region, null, string.Empty);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            KnownUsersOf(region).Add(userId);
            if (WindowAt(region, now) is { } window)
            {
                return new Availability(false, HoldCause.ScheduledMaintenance, region, window.End,
                    $"IBKR's scheduled maintenance of region {region} ({window.Start:u} to {window.End:u})");
            }

            if (!_anythingDetected)
                return new Availability(true, HoldCause.IbkrUnavailable, region, null, string.Empty);
            if (_regionsDown.TryGetValue(region, out var regionSince))
            {
                return new Availability(false, HoldCause.IbkrUnavailable, region, null,
                    $"IBKR's brokerage back-end of region {region} answers that it is not connected (since {regionSince:u})");
            }

            if (_usersDown.TryGetValue(userId, out var user))
            {
                return new Availability(false, HoldCause.IbkrUnavailable, region, null,
                    $"IBKR's brokerage back-end answers user {userId} that it is not connected (since {user.Since:u})");
            }
        }

        return new Availability(true, HoldCause.IbkrUnavailable, region, null, string.Empty);
    }

    public (IReadOnlyList<string> Regions, IReadOnlyList<string> Users) Unavailable()
    {
        if (!_options.Enabled)
            return ([], []);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var regions = _options.Regions.Keys.Where(r => WindowAt(r, now) is not null || _regionsDown.ContainsKey(r)).ToList();
            var users = _usersDown.Where(u => !regions.Contains(u.Value.Region, StringComparer.Ordinal)).Select(u => u.Key).ToList();
            return (regions, users);
        }
    }

    public void ReportOutageAnswer(string userId, OutageAnswer answer)
    {
        if (!_options.Enabled)
            return;
        _metrics.OutageAnswer(answer);
        var now = _time.GetUtcNow();
        if (answer == OutageAnswer.ServiceUnavailable)
        {
            Suspect(userId, now);
            return;
        }

        MarkDown(userId, now);
    }

    public void ReportHealthy(string userId)
    {
        if (!_options.Enabled || !_anythingDetected)
            return;
        IReadOnlyCollection<string>? released = null;
        var region = RegionOf(userId);
        lock (_gate)
        {
            _suspects.Remove(userId);
            var userWasDown = _usersDown.Remove(userId);
            if (_regionsDown.Remove(region))
            {
                // The region is back: every user of it is (those still broken are found again by their next call).
                foreach (var other in _usersDown.Where(u => u.Value.Region == region).Select(u => u.Key).ToList())
                    _usersDown.Remove(other);
                released = [.. KnownUsersOf(region).Append(userId).Distinct(StringComparer.Ordinal)];
                LogRegionBack(_logger, region);
            }
            else if (userWasDown)
            {
                released = [userId];
                LogUserBack(_logger, userId, region);
            }

            _anythingDetected = _regionsDown.Count > 0 || _usersDown.Count > 0 || _suspects.Count > 0;
        }

        if (released is not null)
            Raise(released, region);
    }

    /// <summary>
    /// Users to probe now: those found down whose next probe is due, and those suspected after a 503 (each at most once
    /// per <see cref="MaintenanceOptions.ProbeInterval"/>). Each returned user is probed by the caller.
    /// </summary>
    public IReadOnlyList<string> TakeDueProbes()
    {
        if (!_options.Enabled || !_anythingDetected)
            return [];
        var now = _time.GetUtcNow();
        var due = new List<string>();
        lock (_gate)
        {
            foreach (var (user, down) in _usersDown.ToList())
            {
                // During the region's scheduled window nobody is probed: the window says when IBKR is expected back.
                if (down.NextProbeAt <= now && WindowAt(down.Region, now) is null)
                {
                    _usersDown[user] = down with { NextProbeAt = now + _options.ProbeInterval };
                    _lastProbe[user] = now;
                    due.Add(user);
                }
            }

            foreach (var (user, at) in _suspects.ToList())
            {
                if (at <= now)
                {
                    _suspects.Remove(user);
                    _lastProbe[user] = now;
                    due.Add(user);
                }
            }

            _anythingDetected = _regionsDown.Count > 0 || _usersDown.Count > 0 || _suspects.Count > 0;
        }

        return due;
    }

    /// <summary>The answer of a probe of <paramref name="userId"/>.</summary>
    public void ProbeAnswered(string userId, ProbeResult result)
    {
        switch (result)
        {
            case ProbeResult.Connected:
                ReportHealthy(userId);
                break;
            case ProbeResult.Disconnected:
                ReportOutageAnswer(userId, OutageAnswer.Disconnected);
                break;
            case ProbeResult.NotMine:
                Forget(userId);
                break;
            default:
                break;
        }
    }

    /// <summary>
    /// Raises <see cref="Released"/> for the users of every region whose scheduled window ended since the last sweep.
    /// Called every second by the probe loop.
    /// </summary>
    public void Sweep()
    {
        if (!_options.Enabled)
            return;
        var now = _time.GetUtcNow();
        var ended = new List<(string Region, IReadOnlyCollection<string> Users)>();
        var started = new List<string>();
        lock (_gate)
        {
            foreach (var region in _options.Regions.Keys)
            {
                var inWindow = WindowAt(region, now) is not null;
                if (inWindow && _inWindow.Add(region))
                {
                    started.Add(region);
                }
                else if (!inWindow && _inWindow.Remove(region) && !_regionsDown.ContainsKey(region))
                {
                    ended.Add((region, [.. KnownUsersOf(region).Where(u => !_usersDown.ContainsKey(u))]));
                }
            }
        }

        foreach (var region in started)
        {
            LogWindowStarted(_logger, region);
            Changed?.Invoke(region, false);
        }

        foreach (var (region, users) in ended)
        {
            LogWindowEnded(_logger, region, users.Count);
            Raise(users, region);
        }
    }

    /// <summary>Every region now: in a scheduled window (until), detected down (since), users found down.</summary>
    public IReadOnlyList<RegionAvailability> Regions()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            return [.. _options.Regions.Keys.Order(StringComparer.Ordinal).Select(region => new RegionAvailability(
                region,
                WindowAt(region, now)?.End,
                _regionsDown.TryGetValue(region, out var since) ? since : null,
                _usersDown.Count(u => u.Value.Region == region)))];
        }
    }

    private IEnumerable<(string Region, bool Available)> RegionsAvailable() =>
        Regions().Select(static r => (r.Region, r.Available));

    private void Suspect(string userId, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_usersDown.ContainsKey(userId) || _suspects.ContainsKey(userId))
                return;

            // Inside a scheduled window a 503 is what the window said would come (a read let go just before its start):
            // nothing to probe, and the window's end releases the user.
            if (WindowAt(RegionOf(userId), now) is not null)
                return;

            // At most one probe per ProbeInterval per user, whatever the 503s: a user whose calls fail for other reasons
            // costs one status call now and then.
            var at = _lastProbe.TryGetValue(userId, out var last) && now - last < _options.ProbeInterval ? last + _options.ProbeInterval : now;
            _suspects[userId] = at;
            _anythingDetected = true;
        }

        _probeWanted.Release();
    }

    private void MarkDown(string userId, DateTimeOffset now)
    {
        var region = RegionOf(userId);
        bool userNew;
        var regionNew = false;
        lock (_gate)
        {
            _suspects.Remove(userId);
            KnownUsersOf(region).Add(userId);
            userNew = !_usersDown.TryGetValue(userId, out var existing);
            _usersDown[userId] = new UserDown(region, existing?.Since ?? now, existing?.NextProbeAt ?? now + _options.ProbeInterval);
            _recentDisconnects.RemoveAll(d => now - d.At > _options.DetectWithin);
            _recentDisconnects.Add((userId, region, now));
            if (!_regionsDown.ContainsKey(region) && WindowAt(region, now) is null)
            {
                var users = _recentDisconnects.Where(d => d.Region == region).Select(d => d.User).Distinct(StringComparer.Ordinal).Count();
                if (users >= _options.DetectUsers || NearWindow(region, now))
                {
                    _regionsDown[region] = now;
                    regionNew = true;
                }
            }

            _anythingDetected = true;
        }

        if (userNew)
        {
            LogUserDown(_logger, userId, region);
            Changed?.Invoke(userId, false);
        }

        if (regionNew)
        {
            LogRegionDown(_logger, region, _options.DetectUsers);
            Changed?.Invoke(region, false);
        }
    }

    /// <summary>This process stopped probing for the user (its lease moved); a region with no user left to probe is released.</summary>
    private void Forget(string userId)
    {
        IReadOnlyCollection<string>? released = null;
        var region = RegionOf(userId);
        lock (_gate)
        {
            if (!_usersDown.Remove(userId))
                return;
            if (_regionsDown.ContainsKey(region) && !_usersDown.Values.Any(u => u.Region == region))
            {
                _regionsDown.Remove(region);
                released = [.. KnownUsersOf(region)];
            }

            _anythingDetected = _regionsDown.Count > 0 || _usersDown.Count > 0 || _suspects.Count > 0;
        }

        if (released is not null)
            Raise(released, region);
    }

    /// <summary>Whether a scheduled window of the region ended or starts within <see cref="MaintenanceOptions.DetectGrace"/> of <paramref name="now"/>.</summary>
    private bool NearWindow(string region, DateTimeOffset now) =>
        _options.DetectGrace > TimeSpan.Zero && _schedule.NextWindow(region, now - _options.DetectGrace) is { } window && window.Start <= now + _options.DetectGrace;

    /// <summary>
    /// The region's window that holds calls at <paramref name="now"/> (from <see cref="MaintenanceOptions.HoldBefore"/>
    /// before its start to its end), from a cache kept until the next window ends. Under <see cref="_gate"/>.
    /// </summary>
    private ScheduledWindow? WindowAt(string region, DateTimeOffset now)
    {
        if (!_nextWindow.TryGetValue(region, out var cached) || cached.Next is null || now >= cached.Next.End || now < cached.ComputedAt)
        {
            cached = (now, _schedule.NextWindow(region, now));
            _nextWindow[region] = cached;
        }

        return cached.Next is { } next && now >= next.Start - _options.HoldBefore && now < next.End ? next : null;
    }

    private HashSet<string> KnownUsersOf(string region)
    {
        if (!_knownUsers.TryGetValue(region, out var users))
            _knownUsers[region] = users = new HashSet<string>(StringComparer.Ordinal);
        return users;
    }

    private void Raise(IReadOnlyCollection<string> users, string region)
    {
        Changed?.Invoke(region, true);
        if (users.Count > 0)
            Released?.Invoke(users);
    }

    private sealed record UserDown(string Region, DateTimeOffset Since, DateTimeOffset NextProbeAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IBKR answers user {UserId} (region {Region}) that its brokerage back-end is not connected: the user's calls wait")]
    private static partial void LogUserDown(ILogger logger, string userId, string region);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IBKR region {Region} is down ({Users} user(s) answered not connected, or one near a scheduled window): every call of the region waits")]
    private static partial void LogRegionDown(ILogger logger, string region, int users);

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR is back for user {UserId} (region {Region})")]
    private static partial void LogUserBack(ILogger logger, string userId, string region);

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR region {Region} is back")]
    private static partial void LogRegionBack(ILogger logger, string region);

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR's scheduled maintenance of region {Region} started: the region's calls wait until it ends")]
    private static partial void LogWindowStarted(ILogger logger, string region);

    [LoggerMessage(Level = LogLevel.Information, Message = "IBKR's scheduled maintenance of region {Region} ended: {Users} user(s) released")]
    private static partial void LogWindowEnded(ILogger logger, string region, int users);
}

namespace OrderProcessor.Brokerage.Pacing;

/// <summary>
/// The egress IP after a 429, on the monotonic clock: paused; then exactly one probe; when the probe is answered without
/// 429, a ramp from <see cref="EgressThrottleSettings.RampStartPerSecond"/> up to the budget over
/// <see cref="EgressThrottleSettings.RampTime"/>; never the waiters all at once. Another process's 429 (through the
/// <see cref="EgressBudgetView"/>) pauses this one too and leaves the probe to that process. Not thread-safe: the
/// pacing gate calls it under its lock.
/// </summary>
internal sealed class EgressIpThrottle
{
    private readonly TimeProvider _time;
    private long _pausedUntil;
    private long _pauseStartedAt;
    private TimeSpan _pause;
    private ProbeState _probe;
    private long _probeDeadline;
    private long? _rampStartedAt;
    private long _seenEpoch;
    private int _budget;
    private long? _growAt;

    public EgressIpThrottle(TimeProvider time)
    {
        _time = time;
    }

    private enum ProbeState
    {
        None,
        Due,
        InFlight,
        OtherProcess,
    }

    /// <summary>How long until a send may go (zero: now), and the most sends the IP's window may hold now.</summary>
    public (TimeSpan Wait, int Limit) Check(long now, EgressBudgetView view, EgressThrottleSettings settings)
    {
        Merge(now, view, settings);
        var budget = Share(now, Math.Max(1, settings.BudgetPerSecond / Math.Max(1, view.Instances)), settings);
        if (now < _pausedUntil)
        {
            return (_time.GetElapsedTime(now, _pausedUntil), budget);
        }

        switch (_probe)
        {
            case ProbeState.OtherProcess or ProbeState.InFlight when now < _probeDeadline:
                // Wait for the probe's answer (ours or another process's), looking again soon.
                var left = _time.GetElapsedTime(now, _probeDeadline);
                return (left < settings.ProbePoll ? left : settings.ProbePoll, budget);
            case ProbeState.OtherProcess or ProbeState.InFlight:
                // The probe never came back (or the other process went away): one more probe, from here.
                _probe = ProbeState.Due;
                return (TimeSpan.Zero, budget);
            case ProbeState.Due:
                // The probe is one send: it needs room within the budget, not an empty window; the one after it waits for its answer.
                return (TimeSpan.Zero, budget);
        }

        if (_rampStartedAt is { } rampStart)
        {
            var elapsed = _time.GetElapsedTime(rampStart, now);
            if (elapsed >= settings.RampTime)
            {
                _rampStartedAt = null;
                return (TimeSpan.Zero, budget);
            }

            var start = Math.Min(Math.Max(1, settings.RampStartPerSecond / Math.Max(1, view.Instances)), budget);
            var ramp = start + (int)((budget - start) * (elapsed.TotalMilliseconds / settings.RampTime.TotalMilliseconds));
            return (TimeSpan.Zero, Math.Clamp(ramp, 1, budget));
        }

        return (TimeSpan.Zero, budget);
    }

    /// <summary>
    /// A smaller share applies at once; a larger one (a process left) only after one window, once the sends of the
    /// process that left have left IBKR's window too.
    /// </summary>
    private int Share(long now, int target, EgressThrottleSettings settings)
    {
        if (target <= _budget || _budget == 0)
        {
            _budget = target;
            _growAt = null;
            return target;
        }

        _growAt ??= now + Ticks(settings.Window);
        if (now < _growAt)
        {
            return _budget;
        }

        _budget = target;
        _growAt = null;
        return target;
    }

    /// <summary>A send was granted: true when it is the probe (then every other send waits for its answer).</summary>
    public bool Take(long now, EgressThrottleSettings settings)
    {
        if (_probe != ProbeState.Due)
        {
            return false;
        }

        _probe = ProbeState.InFlight;
        _probeDeadline = now + Ticks(settings.ProbeTimeout);
        return true;
    }

    /// <summary>
    /// A 429 for a send granted at <paramref name="sentAt"/>: pause (doubling when the pause before was recent), then a
    /// probe. A send granted before the current pause began is an earlier burst's straggler: it neither doubles nor extends.
    /// Returns the new pause, or null when the 429 was a straggler's.
    /// </summary>
    public TimeSpan? TooManyRequests(long now, long sentAt, EgressThrottleSettings settings)
    {
        if (_pauseStartedAt != 0 && sentAt < _pauseStartedAt && _probe != ProbeState.None)
        {
            return null;
        }

        var recent = _pauseStartedAt != 0 && _time.GetElapsedTime(_pausedUntil, now) < settings.MaxPause;
        _pause = recent ? TimeSpan.FromTicks(Math.Min(_pause.Ticks * 2, settings.MaxPause.Ticks)) : settings.FirstPause;
        _pauseStartedAt = now;
        _pausedUntil = now + Ticks(_pause);
        _probe = ProbeState.Due;
        _rampStartedAt = null;
        return _pause;
    }

    /// <summary>A send was answered without 429; true when it was the probe and the ramp starts now.</summary>
    public bool Answered(long now, bool wasProbe)
    {
        if (!wasProbe || _probe != ProbeState.InFlight)
        {
            return false;
        }

        _probe = ProbeState.None;
        _rampStartedAt = now;
        return true;
    }

    /// <summary>A send got no answer (transport failure, timeout): if it was the probe, another probe may go.</summary>
    public void NoAnswer(bool wasProbe)
    {
        if (wasProbe && _probe == ProbeState.InFlight)
        {
            _probe = ProbeState.Due;
        }
    }

    /// <summary>Takes in another process's pause (a new epoch that is not ours) and its probe's success.</summary>
    private void Merge(long now, EgressBudgetView view, EgressThrottleSettings settings)
    {
        if (view.PauseEpoch != _seenEpoch)
        {
            _seenEpoch = view.PauseEpoch;
            if (!view.ProbeIsOurs && view.PausedUntil is { } until)
            {
                _pauseStartedAt = now;
                _pausedUntil = Math.Max(_pausedUntil, until);
                _pause = settings.FirstPause;
                _probe = ProbeState.OtherProcess;
                _probeDeadline = _pausedUntil + (2 * Ticks(settings.ProbeTimeout));
                _rampStartedAt = null;
            }
        }

        if (_probe == ProbeState.OtherProcess && view.RampStartedAt is { } rampStart)
        {
            _probe = ProbeState.None;
            _rampStartedAt = rampStart;
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}

namespace OrderProcessor.Brokerage.Resilience;

/// <summary>
/// One circuit breaker on the monotonic clock: opens when, within the sampling duration, at least the minimum
/// throughput of calls ended and the failing share reached the ratio; stays open for the break; then lets exactly one
/// trial call through, whose outcome closes or re-opens it. Thread-safe.
/// </summary>
internal sealed class UserCircuit
{
    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly Queue<(long At, bool Failed)> _outcomes = new();
    private CircuitState _state = CircuitState.Closed;
    private long _openUntil;
    private bool _trialInFlight;

    public UserCircuit(TimeProvider time)
    {
        _time = time;
    }

    /// <summary>What changed with an outcome, for logs and metrics.</summary>
    public enum Transition
    {
        None,
        Opened,
        Closed,
    }

    public CircuitState State
    {
        get
        {
            lock (_sync)
            {
                return _state == CircuitState.Open && _time.GetTimestamp() >= _openUntil ? CircuitState.HalfOpen : _state;
            }
        }
    }

    public TimeSpan OpenFor
    {
        get
        {
            lock (_sync)
            {
                var now = _time.GetTimestamp();
                return _state == CircuitState.Open && now < _openUntil ? _time.GetElapsedTime(now, _openUntil) : TimeSpan.Zero;
            }
        }
    }

    /// <summary>
    /// May a call go? Null: yes (<paramref name="isTrial"/> tells whether it is the half-open trial); otherwise how long the
    /// circuit stays open (or zero while another trial is out).
    /// </summary>
    public TimeSpan? TryEnter(out bool isTrial)
    {
        isTrial = false;
        lock (_sync)
        {
            if (_state == CircuitState.Closed)
            {
                return null;
            }

            var now = _time.GetTimestamp();
            if (_state == CircuitState.Open && now < _openUntil)
            {
                return _time.GetElapsedTime(now, _openUntil);
            }

            _state = CircuitState.HalfOpen;
            if (_trialInFlight)
            {
                return TimeSpan.Zero;
            }

            _trialInFlight = true;
            isTrial = true;
            return null;
        }
    }

    /// <summary>A call that went through ended: a failure (transport, timeout, busy answer) or not.</summary>
    public Transition Record(bool failed, bool wasTrial, BreakerSettings settings)
    {
        lock (_sync)
        {
            var now = _time.GetTimestamp();
            if (wasTrial)
            {
                _trialInFlight = false;
                _outcomes.Clear();
                if (failed)
                {
                    Open(now, settings);
                    return Transition.Opened;
                }

                _state = CircuitState.Closed;
                return Transition.Closed;
            }

            if (_state != CircuitState.Closed)
            {
                // A straggler from before the circuit opened: the trial decides, not it.
                return Transition.None;
            }

            _outcomes.Enqueue((now, failed));
            while (_outcomes.Count > 0 && _time.GetElapsedTime(_outcomes.Peek().At, now) > settings.SamplingDuration)
            {
                _outcomes.Dequeue();
            }

            var failures = _outcomes.Count(static o => o.Failed);
            if (failed && _outcomes.Count >= settings.MinimumThroughput && failures >= settings.FailureRatio * _outcomes.Count)
            {
                _outcomes.Clear();
                Open(now, settings);
                return Transition.Opened;
            }

            return Transition.None;
        }
    }

    /// <summary>A call that went through ended without telling anything about IBKR (cancelled, refused by pacing): a trial lets the next one try.</summary>
    public void Abandon(bool wasTrial)
    {
        if (!wasTrial)
        {
            return;
        }

        lock (_sync)
        {
            _trialInFlight = false;
        }
    }

    private void Open(long now, BreakerSettings settings)
    {
        _state = CircuitState.Open;
        _openUntil = now + (long)(settings.BreakDuration.TotalSeconds * _time.TimestampFrequency);
    }
}

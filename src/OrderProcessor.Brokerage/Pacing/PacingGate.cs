using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;

namespace OrderProcessor.Brokerage.Pacing;

/// <summary>
/// Makes callers wait until every rule that applies to their request has room, then records the send in all of them
/// (one lock, so a send is recorded in every rule at the same instant or in none).
/// Each rule is a sliding window (at most N sends in any window), which, unlike a bucket with a burst, can never
/// exceed IBKR's N-per-second however the server aligns its own windows. Everything runs on the monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>): a wall-clock step neither stalls nor bursts anything.
/// A 429 pauses the user (doubling) and the egress IP; the IP then lets one probe through and ramps up
/// (<see cref="EgressIpThrottle"/>), with its budget split between the processes behind it (<see cref="IEgressBudgetCoordinator"/>).
/// </summary>
internal sealed class PacingGate
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Queue<long>> _sends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Backoff> _backoffs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EgressIpThrottle> _egress = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly BrokerageMetrics _metrics;
    private readonly IEgressBudgetCoordinator _coordinator;

    public PacingGate(TimeProvider time, IOptionsMonitor<BrokerageOptions> options, BrokerageMetrics metrics, IEgressBudgetCoordinator? coordinator = null)
    {
        _time = time;
        _options = options;
        _metrics = metrics;
        _coordinator = coordinator ?? new SingleProcessEgressBudget();
    }

    /// <summary>429 answers seen since start.</summary>
    public long TooManyRequestsSeen => _metrics.TooManyRequestsSeen;

    /// <summary>The monotonic moment <paramref name="after"/> from now (for <see cref="WaitForRoomAsync"/>).</summary>
    public long Deadline(TimeSpan after) => Add(_time.GetTimestamp(), after);

    public ValueTask<PacingGrant?> WaitForTurnAsync(IReadOnlyList<PacingRule> rules, CancellationToken cancellationToken) =>
        WaitForTurnAsync(rules, TimeSpan.MaxValue / 4, cancellationToken);

    /// <summary>Waits for a slot and takes it; null when none came within <paramref name="maxWait"/> (nothing taken then).</summary>
    public async ValueTask<PacingGrant?> WaitForTurnAsync(IReadOnlyList<PacingRule> rules, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var giveUpAt = Deadline(maxWait);
        while (true)
        {
            var (wait, grant) = Check(rules, take: true, giveUpAt);
            if (grant is not null)
            {
                return grant;
            }

            if (wait < TimeSpan.Zero)
            {
                return null;
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Waits until every rule has room, without taking a slot; false when that would be later than <paramref name="giveUpAt"/>.</summary>
    public async ValueTask<bool> WaitForRoomAsync(IReadOnlyList<PacingRule> rules, long giveUpAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (wait, _) = Check(rules, take: false, giveUpAt);
            if (wait == TimeSpan.Zero)
            {
                return true;
            }

            if (wait < TimeSpan.Zero)
            {
                return false;
            }

            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    /// <summary>Windows and pauses in memory; for the pruning figures.</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _sends.Count + _backoffs.Count;
            }
        }
    }

    /// <summary>Takes a slot if every rule has room right now.</summary>
    public PacingGrant? TryTake(IReadOnlyList<PacingRule> rules) => Check(rules, take: true, long.MinValue).Grant;

    /// <summary>A 429 for a send granted by <paramref name="grant"/>: the user keys back off (doubling), the IP pauses, then probes and ramps.</summary>
    public void ReportTooManyRequests(IReadOnlyList<PacingRule> rules, PacingGrant grant)
    {
        _metrics.TooManyRequests();
        var pacing = _options.CurrentValue.Pacing;
        TimeSpan? ipPause = null;
        lock (_sync)
        {
            var now = _time.GetTimestamp();
            foreach (var rule in rules)
            {
                if (rule.EgressIp)
                {
                    ipPause = ThrottleOf(rule.Key).TooManyRequests(now, grant.TakenAt, Settings(pacing)) ?? ipPause;
                    continue;
                }

                if (!IsBackoffKey(rule.Key))
                {
                    continue;
                }

                var pause = _backoffs.TryGetValue(rule.Key, out var previous) && _time.GetElapsedTime(previous.Until, now) < pacing.MaxBackoff
                    ? TimeSpan.FromTicks(Math.Min(previous.Pause.Ticks * 2, pacing.MaxBackoff.Ticks))
                    : pacing.BackoffAfterTooManyRequests;
                _backoffs[rule.Key] = new Backoff(Add(now, pause), pause);
            }
        }

        if (ipPause is { } shared)
        {
            _coordinator.TooManyRequestsSeen(shared);
        }
    }

    /// <summary>An answer that was not 429: ends the user's finished back-off; a successful probe starts the IP's ramp.</summary>
    public void ReportAnswered(IReadOnlyList<PacingRule> rules, PacingGrant grant)
    {
        var rampStarted = false;
        lock (_sync)
        {
            var now = _time.GetTimestamp();
            foreach (var rule in rules)
            {
                if (rule.EgressIp)
                {
                    rampStarted |= ThrottleOf(rule.Key).Answered(now, grant.IsProbe);
                }
                else if (_backoffs.TryGetValue(rule.Key, out var backoff) && backoff.Until <= now)
                {
                    _backoffs.Remove(rule.Key);
                }
            }
        }

        if (rampStarted)
        {
            _coordinator.ProbeSucceeded();
        }
    }

    /// <summary>A granted send got no answer: a probe that got none lets another probe go.</summary>
    public void ReportNoAnswer(IReadOnlyList<PacingRule> rules, PacingGrant grant)
    {
        if (!grant.IsProbe)
        {
            return;
        }

        lock (_sync)
        {
            foreach (var rule in rules)
            {
                if (rule.EgressIp)
                {
                    ThrottleOf(rule.Key).NoAnswer(wasProbe: true);
                }
            }
        }
    }

    /// <summary>Drops what the gate keeps for a user who went idle (windows and back-offs of every key of that user).</summary>
    public void Forget(string userId)
    {
        var prefix = PacingRuleBook.UserKey(userId);
        lock (_sync)
        {
            foreach (var key in _sends.Keys.Where(k => IsKeyOf(k, prefix)).ToList())
            {
                _sends.Remove(key);
            }

            foreach (var key in _backoffs.Keys.Where(k => IsKeyOf(k, prefix)).ToList())
            {
                _backoffs.Remove(key);
            }
        }
    }

    private static bool IsKeyOf(string key, string userKey) =>
        key.Equals(userKey, StringComparison.Ordinal) || key.StartsWith(userKey + "|", StringComparison.Ordinal);

    /// <summary>Only the user's own key backs off after a 429, not its per-endpoint windows (they pace on their own).</summary>
    private static bool IsBackoffKey(string key) => !key.Contains('|', StringComparison.Ordinal);

    /// <summary>Zero wait with a grant: room now (taken when <paramref name="take"/>); positive: how long until room; negative: not before <paramref name="giveUpAt"/>.</summary>
    private (TimeSpan Wait, PacingGrant? Grant) Check(IReadOnlyList<PacingRule> rules, bool take, long giveUpAt)
    {
        var pacing = _options.CurrentValue.Pacing;
        var view = _coordinator.Current;
        lock (_sync)
        {
            var now = _time.GetTimestamp();
            var wait = TimeSpan.Zero;
            foreach (var rule in rules)
            {
                var ruleWait = WaitFor(rule, now, view, pacing);
                if (ruleWait > wait)
                {
                    wait = ruleWait;
                }
            }

            if (wait > TimeSpan.Zero)
            {
                return (Add(now, wait) > giveUpAt ? TimeSpan.FromTicks(-1) : wait, null);
            }

            if (!take)
            {
                return (TimeSpan.Zero, null);
            }

            var probe = false;
            foreach (var rule in rules)
            {
                SendsOf(rule.Key).Enqueue(now);
                if (rule.EgressIp)
                {
                    probe |= ThrottleOf(rule.Key).Take(now, Settings(pacing));
                }
            }

            return (TimeSpan.Zero, new PacingGrant(now, probe));
        }
    }

    private TimeSpan WaitFor(PacingRule rule, long now, EgressBudgetView view, PacingOptions pacing)
    {
        var wait = TimeSpan.Zero;
        var limit = rule.Limit;
        if (rule.EgressIp)
        {
            (wait, limit) = ThrottleOf(rule.Key).Check(now, view, Settings(pacing) with { BudgetPerSecond = rule.Limit });
            if (wait > TimeSpan.Zero)
            {
                return wait;
            }
        }
        else if (_backoffs.TryGetValue(rule.Key, out var backoff) && backoff.Until > now)
        {
            wait = _time.GetElapsedTime(now, backoff.Until);
        }

        var sends = SendsOf(rule.Key);
        while (sends.Count > 0 && _time.GetElapsedTime(sends.Peek(), now) >= rule.Window)
        {
            sends.Dequeue();
        }

        if (sends.Count >= limit)
        {
            // Room opens when the send that is `limit` places back leaves the window.
            var windowWait = rule.Window - _time.GetElapsedTime(sends.ElementAt(sends.Count - limit), now);
            if (windowWait > wait)
            {
                wait = windowWait;
            }
        }

        if (rule.EgressIp)
        {
            // The IP's sends also go in bursts of at most a quarter of the limit per quarter window, not all at the
            // window's edge: a whole burst's tail delayed on the way could land in the same second as the next burst's
            // head at IBKR.
            var burst = Math.Max(1, (limit + 3) / 4);
            var quarter = rule.Window / 4;
            var recent = sends.Reverse().TakeWhile(at => _time.GetElapsedTime(at, now) < quarter).ToList();
            if (recent.Count >= burst)
            {
                var burstWait = quarter - _time.GetElapsedTime(recent[burst - 1], now);
                if (burstWait > wait)
                {
                    wait = burstWait;
                }
            }
        }

        return wait;
    }

    private static EgressThrottleSettings Settings(PacingOptions pacing) => new(
        pacing.PerEgressIpPerSecond,
        pacing.EgressPauseAfterTooManyRequests,
        pacing.MaxBackoff,
        pacing.ProbeTimeout,
        TimeSpan.FromMilliseconds(50),
        pacing.RampStartPerSecond,
        pacing.RampTime,
        TimeSpan.FromSeconds(1) + pacing.SafetyMargin);

    private long Add(long timestamp, TimeSpan span) =>
        span >= TimeSpan.MaxValue / 8 ? long.MaxValue / 2 : timestamp + (long)(span.TotalSeconds * _time.TimestampFrequency);

    private Queue<long> SendsOf(string key)
    {
        if (!_sends.TryGetValue(key, out var sends))
        {
            sends = new Queue<long>();
            _sends[key] = sends;
        }

        return sends;
    }

    private EgressIpThrottle ThrottleOf(string key)
    {
        if (!_egress.TryGetValue(key, out var throttle))
        {
            throttle = new EgressIpThrottle(_time);
            _egress[key] = throttle;
        }

        return throttle;
    }

    private readonly record struct Backoff(long Until, TimeSpan Pause);
}

using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;

namespace OrderProcessor.Brokerage.Pacing;

/// <summary>
/// Makes callers wait until every rule that applies to their request has room, then records the send in all of them
/// (one lock, so a send is recorded in every rule at the same instant or in none).
/// Each rule is a sliding window (at most N sends in any window), which, unlike a bucket with a burst, can never
/// exceed IBKR's N-per-second however the server aligns its own windows. A 429 pauses the user and the IP.
/// </summary>
internal sealed class PacingGate
{
    private readonly Lock _sync = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _sends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Backoff> _backoffs = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly BrokerageMetrics _metrics;

    public PacingGate(TimeProvider time, IOptionsMonitor<BrokerageOptions> options, BrokerageMetrics metrics)
    {
        _time = time;
        _options = options;
        _metrics = metrics;
    }

    /// <summary>The pacing clock.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>429 answers seen since start.</summary>
    public long TooManyRequestsSeen => _metrics.TooManyRequestsSeen;

    public ValueTask<bool> WaitForTurnAsync(IReadOnlyList<PacingRule> rules, CancellationToken cancellationToken) =>
        WaitForTurnAsync(rules, TimeSpan.MaxValue / 4, cancellationToken);

    /// <summary>Waits for a slot and takes it; false when none came within <paramref name="maxWait"/> (nothing taken then).</summary>
    public async ValueTask<bool> WaitForTurnAsync(IReadOnlyList<PacingRule> rules, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var giveUpAt = _time.GetUtcNow() + maxWait;
        while (true)
        {
            var wait = Check(rules, take: true, giveUpAt);
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

    /// <summary>Waits until every rule has room, without taking a slot; false when that would be later than <paramref name="giveUpAt"/>.</summary>
    public async ValueTask<bool> WaitForRoomAsync(IReadOnlyList<PacingRule> rules, DateTimeOffset giveUpAt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var wait = Check(rules, take: false, giveUpAt);
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

    /// <summary>Drops the windows and pauses of <paramref name="keys"/> (an idle user's, long past every window).</summary>
    public void Forget(IEnumerable<string> keys)
    {
        lock (_sync)
        {
            foreach (var key in keys)
            {
                _sends.Remove(key);
                _backoffs.Remove(key);
            }
        }
    }

    /// <summary>Takes a slot if every rule has room right now.</summary>
    public bool TryTake(IReadOnlyList<PacingRule> rules) => Check(rules, take: true, DateTimeOffset.MinValue) == TimeSpan.Zero;

    /// <summary>Zero: room now (and taken when <paramref name="take"/>); positive: how long until room; negative: not before <paramref name="giveUpAt"/>.</summary>
    private TimeSpan Check(IReadOnlyList<PacingRule> rules, bool take, DateTimeOffset giveUpAt)
    {
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            var wait = TimeSpan.Zero;
            foreach (var rule in rules)
            {
                var ruleWait = WaitFor(rule, now);
                if (ruleWait > wait)
                {
                    wait = ruleWait;
                }
            }

            if (wait > TimeSpan.Zero)
            {
                return now + wait > giveUpAt ? TimeSpan.FromTicks(-1) : wait;
            }

            if (take)
            {
                foreach (var rule in rules)
                {
                    SendsOf(rule.Key).Enqueue(now);
                }
            }

            return TimeSpan.Zero;
        }
    }

    public void ReportTooManyRequests(IReadOnlyList<string> keys)
    {
        _metrics.TooManyRequests();
        var pacing = _options.CurrentValue.Pacing;
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            foreach (var key in keys)
            {
                var pause = _backoffs.TryGetValue(key, out var previous) && previous.Until > now - pacing.MaxBackoff
                    ? TimeSpan.FromTicks(Math.Min(previous.Pause.Ticks * 2, pacing.MaxBackoff.Ticks))
                    : pacing.BackoffAfterTooManyRequests;
                _backoffs[key] = new Backoff(now + pause, pause);
            }
        }
    }

    public void ReportSuccess(IReadOnlyList<string> keys)
    {
        lock (_sync)
        {
            var now = _time.GetUtcNow();
            foreach (var key in keys)
            {
                if (_backoffs.TryGetValue(key, out var backoff) && backoff.Until <= now)
                {
                    _backoffs.Remove(key);
                }
            }
        }
    }

    private TimeSpan WaitFor(PacingRule rule, DateTimeOffset now)
    {
        var wait = TimeSpan.Zero;
        if (_backoffs.TryGetValue(rule.Key, out var backoff) && backoff.Until > now)
        {
            wait = backoff.Until - now;
        }

        var sends = SendsOf(rule.Key);
        while (sends.Count > 0 && sends.Peek() <= now - rule.Window)
        {
            sends.Dequeue();
        }

        if (sends.Count >= rule.Limit)
        {
            // Room opens when the send that is `Limit` places back leaves the window.
            var windowWait = sends.ElementAt(sends.Count - rule.Limit) + rule.Window - now;
            if (windowWait > wait)
            {
                wait = windowWait;
            }
        }

        return wait;
    }

    private Queue<DateTimeOffset> SendsOf(string key)
    {
        if (!_sends.TryGetValue(key, out var sends))
        {
            sends = new Queue<DateTimeOffset>();
            _sends[key] = sends;
        }

        return sends;
    }

    private readonly record struct Backoff(DateTimeOffset Until, TimeSpan Pause);
}

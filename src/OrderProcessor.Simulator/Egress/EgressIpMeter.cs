using Microsoft.Extensions.Options;
using OrderProcessor.Simulator.Clock;
using OrderProcessor.Simulator.Configuration;

namespace OrderProcessor.Simulator.Egress;

/// <summary>
/// What IBKR sees per calling IP: every request counted in a 1 s sliding window (the most ever seen in one window is
/// kept, so a test can assert a budget was never exceeded), a per-IP limit answered with 429, and the penalty box: an IP
/// that collects too many 429s in a short time gets nothing but 429 for a long while (IBKR: 10 minutes), whoever calls.
/// </summary>
public sealed class EgressIpMeter(IOptions<SimulatorOptions> options, SimulatorClock time)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IpState> _ips = new(StringComparer.Ordinal);

    /// <summary>Counts one arriving request; true when IBKR would refuse it with 429 (penalty box or per-IP limit).</summary>
    public bool Arrive(string ip)
    {
        var settings = options.Value;
        var now = time.Inner.GetTimestamp();
        lock (_gate)
        {
            var state = StateOf(ip);
            state.Requests++;
            while (state.Arrivals.Count > 0 && time.Inner.GetElapsedTime(state.Arrivals.Peek(), now) >= Window)
                state.Arrivals.Dequeue();
            state.Arrivals.Enqueue(now);
            state.MaxPerSecond = Math.Max(state.MaxPerSecond, state.Arrivals.Count);
            if (state.PenaltyBoxEnds is { } ends && now < ends)
            {
                state.RefusedInPenaltyBox++;
                return true;
            }

            return settings.PerIpRequestsPerSecond > 0 && state.Arrivals.Count > settings.PerIpRequestsPerSecond;
        }
    }

    /// <summary>Records a 429 answered to the IP (for any reason); enough of them in a short time put it in the penalty box.</summary>
    public void TooManyRequestsAnswered(string ip)
    {
        var settings = options.Value;
        var now = time.Inner.GetTimestamp();
        lock (_gate)
        {
            var state = StateOf(ip);
            state.TooManyRequests++;
            if (settings.PenaltyBoxAfter429s <= 0 || (state.PenaltyBoxEnds is { } ends && now < ends))
                return;
            while (state.RecentRefusals.Count > 0 && time.Inner.GetElapsedTime(state.RecentRefusals.Peek(), now) >= settings.PenaltyBoxCountWindow)
                state.RecentRefusals.Dequeue();
            state.RecentRefusals.Enqueue(now);
            if (state.RecentRefusals.Count >= settings.PenaltyBoxAfter429s)
                Box(state, now, settings.PenaltyBoxDuration);
        }
    }

    /// <summary>Puts an IP in the penalty box now (a test playing an IP that IBKR already punished).</summary>
    public void PenaltyBox(string ip, TimeSpan duration)
    {
        lock (_gate)
            Box(StateOf(ip), time.Inner.GetTimestamp(), duration);
    }

    public IReadOnlyList<EgressIpReport> Report()
    {
        var now = time.Inner.GetTimestamp();
        lock (_gate)
        {
            return [.. _ips.Select(pair => new EgressIpReport(
                pair.Key,
                pair.Value.Requests,
                pair.Value.MaxPerSecond,
                pair.Value.TooManyRequests,
                pair.Value.PenaltyBoxes,
                pair.Value.RefusedInPenaltyBox,
                pair.Value.PenaltyBoxEnds is { } ends && now < ends ? time.Inner.GetElapsedTime(now, ends) : TimeSpan.Zero))];
        }
    }

    public void Clear()
    {
        lock (_gate)
            _ips.Clear();
    }

    private void Box(IpState state, long now, TimeSpan duration)
    {
        state.PenaltyBoxes++;
        state.RecentRefusals.Clear();
        state.PenaltyBoxEnds = now + (long)(duration.TotalSeconds * time.Inner.TimestampFrequency);
    }

    private IpState StateOf(string ip)
    {
        if (!_ips.TryGetValue(ip, out var state))
        {
            state = new IpState();
            _ips[ip] = state;
        }

        return state;
    }

    private sealed class IpState
    {
        public Queue<long> Arrivals { get; } = new();

        public Queue<long> RecentRefusals { get; } = new();

        public long Requests { get; set; }

        public int MaxPerSecond { get; set; }

        public long TooManyRequests { get; set; }

        public int PenaltyBoxes { get; set; }

        public long RefusedInPenaltyBox { get; set; }

        public long? PenaltyBoxEnds { get; set; }
    }
}

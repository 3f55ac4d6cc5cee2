using System.Diagnostics.Metrics;
using OrderProcessor.Brokerage.Failures;

namespace OrderProcessor.Brokerage.Diagnostics;

/// <summary>The guard's counters, gauges and the pacing wait histogram, on meter "OrderProcessor.Brokerage".</summary>
public sealed class BrokerageMetrics : IDisposable
{
    public const string MeterName = "OrderProcessor.Brokerage";

    private readonly Meter _meter;
    private readonly Counter<long> _tokensRequested;
    private readonly Counter<long> _sessionsInitialised;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _partnerStops;
    private readonly Counter<long> _circuitTransitions;
    private readonly Counter<long> _retryBudgetExhausted;
    private readonly Histogram<double> _pacingWait;
    private readonly Histogram<double> _requests;
    private readonly Counter<long> _streamFrames;
    private readonly Counter<long> _streamConnects;
    private readonly Counter<long> _streamGaps;
    private readonly Counter<long> _streamObserverFailures;
    private readonly Counter<long> _outageAnswers;
    private long _tooManyRequestsTotal;

    public BrokerageMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _tokensRequested = _meter.CreateCounter<long>("brokerage.tokens.requested", description: "Bearer tokens requested from PiTrade");
        _sessionsInitialised = _meter.CreateCounter<long>("brokerage.sessions.initialised", description: "Brokerage sessions opened (ssodh/init → suppress → accounts)");
        _failures = _meter.CreateCounter<long>("brokerage.failures", description: "Failed brokerage calls by failure kind");
        // Observed over the running total, not added to: the series exists at 0 from start, so Prometheus' increase()
        // (the 429 alert) counts the first 429s after a start too; a counter created on its first Add appears at 1 or more.
        _meter.CreateObservableCounter("brokerage.pacing.too_many_requests", () => Interlocked.Read(ref _tooManyRequestsTotal),
            description: "429 answers that got through the guard's pacing");
        _partnerStops = _meter.CreateCounter<long>("brokerage.partner.stops", description: "Times PiTrade started refusing the partner credentials (submissions stopped for everyone)");
        _circuitTransitions = _meter.CreateCounter<long>("brokerage.circuit.transitions", description: "Per-user circuits opened or closed, by endpoint group and new state (the log names the user)");
        _retryBudgetExhausted = _meter.CreateCounter<long>("brokerage.retry.budget_exhausted", description: "Retries refused because the user's retry budget was used up");
        _pacingWait = _meter.CreateDurationHistogram("brokerage.pacing.wait",
            "How long an IBKR call waited before it was sent: for its pacing slot (user, endpoint and egress IP windows, back-offs after a 429) and, for a read, for the user's gate while an order sequence held it");
        _requests = _meter.CreateDurationHistogram("brokerage.ibkr.request.duration",
            "One request to IBKR from its pacing slot to its answer, by endpoint and status code (none: no answer came)");
        _streamFrames = _meter.CreateCounter<long>("brokerage.stream.frames", description: "Websocket frames received, by topic (sor, str, system, sts, act, ntf, blt, error, none, unknown, malformed)");
        _streamConnects = _meter.CreateCounter<long>("brokerage.stream.connects", description: "Websocket connects by outcome (opened, refused, failed)");
        _streamGaps = _meter.CreateCounter<long>("brokerage.stream.gaps", description: "Moments a user's stream could have missed something, by cause (Dropped, HeartbeatMissed, Malformed, ...; Subscribed counts subscriptions)");
        _streamObserverFailures = _meter.CreateCounter<long>("brokerage.stream.observer.failures", description: "Stream frames or gaps whose processing threw (logged; the socket stays open)");
        _outageAnswers = _meter.CreateCounter<long>("brokerage.ibkr.outage_answers",
            description: "IBKR answers that may mean its brokerage back-end is down, by kind (ServiceUnavailable: a 503, probed; Disconnected: connected:false)");
    }

    /// <summary>429 answers seen since start.</summary>
    public long TooManyRequestsSeen => Interlocked.Read(ref _tooManyRequestsTotal);

    internal void TokenRequested() => _tokensRequested.Add(1);

    internal void SessionInitialised() => _sessionsInitialised.Add(1);

    internal void Failed(BrokerageFailureKind kind, string endpoint) =>
        _failures.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()), new KeyValuePair<string, object?>("endpoint", endpoint));

    internal void PartnerStopped() => _partnerStops.Add(1);

    /// <summary>1 while submissions are stopped for everyone because PiTrade refuses the partner credentials.</summary>
    internal void ObservePartnerStop(Func<int> stopped) =>
        _meter.CreateObservableGauge("brokerage.partner.stopped", stopped, description: "1 while PiTrade refuses the partner credentials and submissions wait");

    internal void TooManyRequests()
    {
        Interlocked.Increment(ref _tooManyRequestsTotal);
    }

    internal void CircuitChanged(string group, Resilience.CircuitState state) =>
        _circuitTransitions.Add(1, new KeyValuePair<string, object?>("group", group), new KeyValuePair<string, object?>("state", state.ToString()));

    internal void RetryBudgetExhausted() => _retryBudgetExhausted.Add(1);

    /// <summary>A call got its pacing slot after waiting <paramref name="waited"/> (zero when there was room at once).</summary>
    internal void PacingWaited(string endpoint, TimeSpan waited) =>
        _pacingWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("endpoint", endpoint));

    /// <summary>One request to IBKR took <paramref name="took"/>; <paramref name="status"/> is null when no answer came.</summary>
    internal void RequestAnswered(string endpoint, int? status, TimeSpan took) =>
        _requests.Record(took.TotalSeconds,
            new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("status", status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"));

    /// <summary>
    /// Publishes the users' brokerage sessions by state, every state reported (zero included) so that an alert on
    /// <c>state="Competing"</c> always has a series to read; user ids stay out of metric tags.
    /// </summary>
    internal void ObserveSessions(Func<IEnumerable<Sessions.BrokerageSessionState>> states) =>
        _meter.CreateObservableGauge("brokerage.sessions", () => SessionsByState(states()),
            description: "Users' brokerage sessions in this process by state (Competing: another platform holds the username's session)");

    private static IEnumerable<Measurement<int>> SessionsByState(IEnumerable<Sessions.BrokerageSessionState> states)
    {
        var counts = Enum.GetValues<Sessions.BrokerageSessionState>().ToDictionary(static s => s, static _ => 0);
        foreach (var state in states)
        {
            counts[state]++;
        }

        return [.. counts.Select(static c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("state", c.Key.ToString())))];
    }

    /// <summary>Publishes how many per-user circuits are open or half-open now (a gauge; user ids stay out of metric tags).</summary>
    internal void ObserveOpenCircuits(Func<int> count) =>
        _meter.CreateObservableGauge("brokerage.circuit.open", count, description: "Per-user circuits open or half-open now");

    internal void StreamFrame(string topic) => _streamFrames.Add(1, new KeyValuePair<string, object?>("topic", topic));

    internal void StreamConnect(string outcome) => _streamConnects.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    internal void StreamGap(Streaming.StreamGapCause cause) => _streamGaps.Add(1, new KeyValuePair<string, object?>("cause", cause.ToString()));

    internal void StreamObserverFailed() => _streamObserverFailures.Add(1);

    /// <summary>
    /// Publishes the users' order streams by state (every state reported, zero included) and the age of the oldest
    /// last frame among streaming users; user ids stay out of metric tags.
    /// </summary>
    internal void ObserveStreams(Func<IEnumerable<Streaming.OrderStreamState>> states, Func<double> oldestHeartbeatAgeSeconds)
    {
        _meter.CreateObservableGauge("brokerage.stream.users", () => StreamsByState(states()),
            description: "Users' order streams (IBKR websocket) in this process by state (Streaming, Connecting, Reconnecting, PollingOnly)");
        _meter.CreateObservableGauge("brokerage.stream.heartbeat.age", oldestHeartbeatAgeSeconds, unit: "s",
            description: "Longest time since the last frame (heartbeat or data) among streaming users");
    }

    private static IEnumerable<Measurement<int>> StreamsByState(IEnumerable<Streaming.OrderStreamState> states)
    {
        var counts = Enum.GetValues<Streaming.OrderStreamState>().Where(static s => s != Streaming.OrderStreamState.NotFollowed).ToDictionary(static s => s, static _ => 0);
        foreach (var state in states)
        {
            if (counts.ContainsKey(state))
            {
                counts[state]++;
            }
        }

        return [.. counts.Select(static c => new Measurement<int>(c.Value, new KeyValuePair<string, object?>("state", c.Key.ToString())))];
    }

    internal void OutageAnswer(Availability.OutageAnswer kind) => _outageAnswers.Add(1, new KeyValuePair<string, object?>("kind", kind.ToString()));

    /// <summary>Publishes per IBKR region whether its brokerage back-end is available (1) or in a window / detected down (0); every region reported.</summary>
    internal void ObserveAvailability(Func<IEnumerable<(string Region, bool Available)>> regions) =>
        _meter.CreateObservableGauge("brokerage.ibkr.available",
            () => regions().Select(static r => new Measurement<int>(r.Available ? 1 : 0, new KeyValuePair<string, object?>("region", r.Region))),
            description: "1 while IBKR's brokerage back-end of the region is available; 0 during its scheduled maintenance or a detected outage");

    public void Dispose() => _meter.Dispose();
}

using System.Diagnostics.Metrics;
using OrderProcessor.Telemetry;

namespace OrderProcessor.Audit.Checkpoints;

/// <summary>
/// How this processor's checkpoint rounds went, for the metrics (meter <c>OrderProcessor</c>) and the
/// <c>audit-checkpoints</c> readiness entry: the last checkpoint it signed, the last round that ended well, and a
/// counter of the rounds that did not by cause.
/// </summary>
/// <remarks>
/// Every processor tries each interval (the advisory lock only keeps two from taking one at the same moment), so each
/// one's own record says whether it can sign. A round that finds another processor taking one counts as ended well:
/// that processor signs this round, and if it then fails, its own entry and counter say so.
/// </remarks>
public sealed class AuditCheckpointStatus : IDisposable
{
    /// <summary>The <c>cause</c> tags of <c>orderprocessor.audit.checkpoint.failures</c>.</summary>
    public static readonly string[] Causes = ["writers_in_flight", "error", "exchange"];

    private readonly Meter _meter;
    private readonly Counter<long> _failures;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private (DateTimeOffset Time, long Sequence)? _lastSigned;
    private DateTimeOffset? _lastGood;

    public AuditCheckpointStatus(IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _timeProvider = timeProvider;
        _meter = meterFactory.Create(OrderProcessorMetrics.MeterName);
        _failures = _meter.CreateCounter<long>("orderprocessor.audit.checkpoint.failures",
            description: "Audit checkpoint rounds of this processor that signed nothing (writers_in_flight: an outbox transaction stayed open past Audit:Checkpoints:LockTimeout; error) or whose checkpoint did not reach the exchange (exchange), by cause");
        _meter.CreateObservableGauge("orderprocessor.audit.checkpoint.last_timestamp", () => LastSigned(s => s.Time.ToUnixTimeMilliseconds() / 1000.0), unit: "s",
            description: "When this processor last signed an audit checkpoint (Unix time); max() over instances is the latest of any");
        _meter.CreateObservableGauge("orderprocessor.audit.checkpoint.last_sequence", () => LastSigned(s => (double)s.Sequence),
            description: "The outbox sequence of the last audit checkpoint this processor signed");
    }

    /// <summary>Whether checkpoints are configured here (set once at start): without, nothing is measured or checked.</summary>
    public bool Enabled { get; private set; }

    /// <summary>When the service started taking checkpoints: the age of the first one is counted from here.</summary>
    public DateTimeOffset? StartedAt { get; private set; }

    /// <summary>Checkpoints are taken here: the failure series start at zero, so alerts on them have something to read.</summary>
    public void Start()
    {
        Enabled = true;
        StartedAt = _timeProvider.GetUtcNow();
        foreach (var cause in Causes)
        {
            _failures.Add(0, new KeyValuePair<string, object?>("cause", cause));
        }
    }

    public void Signed(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            _lastSigned = (now, checkpoint.Sequence);
            _lastGood = now;
        }
    }

    /// <summary>Another processor held the lock: it is signing this round.</summary>
    public void TakenByAnother()
    {
        lock (_gate)
        {
            _lastGood = _timeProvider.GetUtcNow();
        }
    }

    public void Failed(string cause) => _failures.Add(1, new KeyValuePair<string, object?>("cause", cause));

    /// <summary>The last round that signed or found another processor signing; null before the first.</summary>
    public DateTimeOffset? LastGood
    {
        get
        {
            lock (_gate)
            {
                return _lastGood;
            }
        }
    }

    public (DateTimeOffset Time, long Sequence)? LastSignedCheckpoint
    {
        get
        {
            lock (_gate)
            {
                return _lastSigned;
            }
        }
    }

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<double>> LastSigned(Func<(DateTimeOffset Time, long Sequence), double> value)
    {
        var signed = LastSignedCheckpoint;
        return signed is { } s ? [new Measurement<double>(value(s))] : [];
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Diagnostics;

namespace OrderProcessor.Brokerage.PiTrade;

/// <summary>
/// Whether PiTrade takes our partner credentials. Once it refuses them (401, invalid_client) or the partner JWT's clock,
/// submissions stop for every user — loudly: a critical log, the health entry, the metric — and only one probe token
/// request goes to PiTrade per <see cref="PiTradeOptions.PartnerProbeInterval"/>; the first token issued resumes. No
/// order fails for it: its work waits.
/// </summary>
internal sealed partial class PartnerStatus
{
    private readonly Lock _sync = new();
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly BrokerageMetrics _metrics;
    private readonly ILogger<PartnerStatus> _logger;
    private string? _reason;
    private DateTimeOffset _since;
    private DateTimeOffset _nextProbe;

    public PartnerStatus(TimeProvider time, IOptionsMonitor<BrokerageOptions> options, BrokerageMetrics metrics, ILogger<PartnerStatus> logger)
    {
        _time = time;
        _options = options;
        _metrics = metrics;
        _logger = logger;
        _metrics.ObservePartnerStop(() => IsStopped ? 1 : 0);
    }

    public bool IsStopped
    {
        get
        {
            lock (_sync)
            {
                return _reason is not null;
            }
        }
    }

    /// <summary>Why submissions are stopped, and since when; null when they are not.</summary>
    public (string Reason, DateTimeOffset Since)? Stop
    {
        get
        {
            lock (_sync)
            {
                return _reason is null ? null : (_reason, _since);
            }
        }
    }

    /// <summary>PiTrade refused the partner credentials (<paramref name="clockSkew"/>: the JWT's time, which fixes itself).</summary>
    public void Refused(string reason, bool clockSkew)
    {
        var now = _time.GetUtcNow();
        bool first;
        lock (_sync)
        {
            first = _reason is null;
            _since = first ? now : _since;
            _reason = reason;
            _nextProbe = now + _options.CurrentValue.PiTrade.PartnerProbeInterval;
        }

        if (first)
        {
            _metrics.PartnerStopped();
        }

        if (clockSkew)
        {
            LogClockSkew(_logger, reason);
        }
        else
        {
            LogCredentialsRefused(_logger, reason);
        }
    }

    /// <summary>PiTrade issued a token: the partner credentials work.</summary>
    public void Accepted()
    {
        string? was;
        lock (_sync)
        {
            was = _reason;
            _reason = null;
        }

        if (was is not null)
        {
            LogResumed(_logger, was);
        }
    }

    /// <summary>True when a token request may go to PiTrade now: always while not stopped, otherwise once per probe interval.</summary>
    public bool MayAsk()
    {
        var now = _time.GetUtcNow();
        lock (_sync)
        {
            if (_reason is null)
            {
                return true;
            }

            if (now < _nextProbe)
            {
                return false;
            }

            _nextProbe = now + _options.CurrentValue.PiTrade.PartnerProbeInterval;
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "PiTrade refused the partner credentials ({Reason}): submissions are stopped for every user until it is fixed; check Brokerage__PiTrade__ClientId and Brokerage__PiTrade__ApiKey")]
    private static partial void LogCredentialsRefused(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "PiTrade refused the partner JWT's time ({Reason}): submissions are stopped for every user until this host's clock agrees with PiTrade's")]
    private static partial void LogClockSkew(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PiTrade takes the partner credentials again (was: {Reason}); submissions resume")]
    private static partial void LogResumed(ILogger logger, string reason);
}

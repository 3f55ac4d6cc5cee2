using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Pacing;
using OrderProcessor.Brokerage.PiTrade;
using OrderProcessor.Brokerage.Resilience;

namespace OrderProcessor.Brokerage.Sessions;

/// <summary>
/// Forgets the in-memory state of users idle for <see cref="SessionOptions.PruneAfter"/> with nothing live: their
/// session, bearer tokens, call gate, pacing windows and circuits. A platform sees thousands of users a day; without this each one
/// would stay in memory for the life of the process. The next call of a forgotten user starts afresh.
/// </summary>
internal sealed partial class UserStatePruner : BackgroundService
{
    private readonly BrokerageSessionManager _sessions;
    private readonly BearerTokenCache _tokens;
    private readonly UserCallGates _gates;
    private readonly PacingGate _pacing;
    private readonly UserFailureDomains _failureDomains;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly ILogger<UserStatePruner> _logger;

    public UserStatePruner(
        BrokerageSessionManager sessions,
        BearerTokenCache tokens,
        UserCallGates gates,
        PacingGate pacing,
        UserFailureDomains failureDomains,
        TimeProvider time,
        IOptionsMonitor<BrokerageOptions> options,
        ILogger<UserStatePruner> logger)
    {
        _sessions = sessions;
        _tokens = tokens;
        _gates = gates;
        _pacing = pacing;
        _failureDomains = failureDomains;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>The per-user entries in memory: sessions, token slots, gates, pacing windows and pauses.</summary>
    public (int Sessions, int Tokens, int Gates, int PacingWindows) Counts() => (_sessions.Count, _tokens.Count, _gates.Count, _pacing.Count);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CurrentValue.Session.PruneInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Prune();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    /// <summary>One sweep; returns how many users were forgotten.</summary>
    public int Prune() => PruneIdleBefore(_time.GetUtcNow() - _options.CurrentValue.Session.PruneAfter);

    /// <summary>Forgets the users with nothing live whose last activity is older than <paramref name="cutoff"/>.</summary>
    public int PruneIdleBefore(DateTimeOffset cutoff)
    {
        var forgotten = 0;
        foreach (var userId in _sessions.IdleSince(cutoff))
        {
            // The gate first: a user whose gate is in use is not idle, and keeps everything.
            if (!_gates.TryForget(userId) && _gates.Contains(userId))
            {
                continue;
            }

            if (!_sessions.TryForget(userId, cutoff))
            {
                continue;
            }

            _tokens.Forget(userId);
            _pacing.Forget(userId);
            _failureDomains.Forget(userId);
            forgotten++;
        }

        if (forgotten > 0)
        {
            LogPruned(_logger, forgotten, _sessions.Count);
        }

        return forgotten;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forgot {Forgotten} idle user(s) (session, tokens, gate, pacing, circuits); {Remaining} remain in memory")]
    private static partial void LogPruned(ILogger logger, int forgotten, int remaining);
}

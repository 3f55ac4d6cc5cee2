using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;

namespace OrderProcessor.Brokerage.Sessions;

/// <summary>Keeps brokerage sessions of users with live orders or recent activity alive (POST /tickle every ~60 s).</summary>
internal sealed partial class TickleService : BackgroundService
{
    private readonly BrokerageSessionManager _sessions;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly ILogger<TickleService> _logger;

    public TickleService(BrokerageSessionManager sessions, TimeProvider time, IOptionsMonitor<BrokerageOptions> options, ILogger<TickleService> logger)
    {
        _sessions = sessions;
        _time = time;
        _options = options;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = _options.CurrentValue.Session;
        if (!settings.TickleEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(settings.TickleScanInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await TickleDueSessionsAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    internal async Task TickleDueSessionsAsync(CancellationToken cancellationToken)
    {
        var due = _sessions.UsersDueForTickle();
        if (due.Count == 0)
        {
            return;
        }

        await Task.WhenAll(due.Select(userId => TickleOneAsync(userId, cancellationToken)));
    }

    private async Task TickleOneAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            await _sessions.TickleAsync(userId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogTickleLoopFailure(_logger, userId, ex.GetType().Name, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping the session of user {UserId} alive failed ({Failure}: {Reason})")]
    private static partial void LogTickleLoopFailure(ILogger logger, string userId, string failure, string reason);
}

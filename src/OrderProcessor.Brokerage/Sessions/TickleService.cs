using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;

namespace OrderProcessor.Brokerage.Sessions;

/// <summary>
/// Keeps brokerage sessions of users with live orders or recent activity alive (POST /tickle every ~60 s). Each user's
/// tickle runs on its own, bounded by <see cref="SessionOptions.TickleTimeout"/>: the loop never waits for a user, so one
/// user stuck behind its gate, its pacing or a slow IBKR answer delays nobody else's keep-alive.
/// </summary>
internal sealed partial class TickleService : BackgroundService
{
    private readonly BrokerageSessionManager _sessions;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<BrokerageOptions> _options;
    private readonly ILogger<TickleService> _logger;
    private readonly ConcurrentDictionary<Task, byte> _running = new();

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
                StartDueTickles(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
        finally
        {
            // Stopping cancelled them all; let them finish their bookkeeping.
            await Task.WhenAll(_running.Keys);
        }
    }

    /// <summary>Starts the tickle of every due user, each on its own, and returns without waiting for any of them.</summary>
    internal IReadOnlyList<Task> StartDueTickles(CancellationToken cancellationToken)
    {
        var due = _sessions.UsersDueForTickle();
        var started = new List<Task>(due.Count);
        foreach (var userId in due)
        {
            var tickle = TickleOneAsync(userId, cancellationToken);
            if (!tickle.IsCompleted)
            {
                _running.TryAdd(tickle, 0);
                _ = tickle.ContinueWith(static (done, running) => ((ConcurrentDictionary<Task, byte>)running!).TryRemove(done, out _), _running, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            started.Add(tickle);
        }

        return started;
    }

    private async Task TickleOneAsync(string userId, CancellationToken cancellationToken)
    {
        // Off the loop's stack at once: a tickle that finds its pacing slot free would otherwise run synchronously.
        await Task.Yield();
        var timeout = _options.CurrentValue.Session.TickleTimeout;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        try
        {
            await _sessions.TickleAsync(userId, bounded.Token);
        }
        catch (OperationCanceledException) when (bounded.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogTickleTimedOut(_logger, userId, timeout.TotalSeconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogTickleLoopFailure(_logger, userId, ex.GetType().Name, ex.Message);
        }
        catch (OperationCanceledException)
        {
            // Host shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping the session of user {UserId} alive took longer than {TimeoutSeconds} s (Brokerage__Session__TickleTimeout); given up, tried again later")]
    private static partial void LogTickleTimedOut(ILogger logger, string userId, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Keeping the session of user {UserId} alive failed ({Failure}: {Reason})")]
    private static partial void LogTickleLoopFailure(ILogger logger, string userId, string failure, string reason);
}

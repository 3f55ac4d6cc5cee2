using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderProcessor.Brokerage.Configuration;
using OrderProcessor.Brokerage.Sessions;

namespace OrderProcessor.Brokerage.Availability;

/// <summary>
/// Every second (and at once after a suspicious 503): notices scheduled windows that ended (their users are released)
/// and sends the due probes, one <c>POST /iserver/auth/status</c> per user found down per
/// <see cref="MaintenanceOptions.ProbeInterval"/>. Each probe runs on its own, bounded by the attempt timeout.
/// </summary>
internal sealed partial class AvailabilityProbeService(
    IbkrAvailability availability,
    BrokerageSessionManager sessions,
    TimeProvider time,
    IOptionsMonitor<BrokerageOptions> options,
    ILogger<AvailabilityProbeService> logger) : BackgroundService
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Task, byte> _running = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!availability.Enabled)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                availability.Sweep();
                foreach (var userId in availability.TakeDueProbes())
                {
                    var probe = ProbeAsync(userId, stoppingToken);
                    _running.TryAdd(probe, 0);
                    _ = probe.ContinueWith(static (done, running) => ((ConcurrentDictionary<Task, byte>)running!).TryRemove(done, out _), _running,
                        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }

                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var wanted = availability.ProbeWanted.WaitAsync(wait.Token);
                await Task.WhenAny(wanted, Task.Delay(SweepEvery, time, wait.Token));
                await wait.CancelAsync();
                await wanted.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
        finally
        {
            await Task.WhenAll(_running.Keys);
        }
    }

    private async Task ProbeAsync(string userId, CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        bounded.CancelAfter(options.CurrentValue.Timeouts.Total);
        ProbeResult result;
        try
        {
            result = await sessions.ProbeAsync(userId, bounded.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            result = ProbeResult.Inconclusive;
        }
        catch (OperationCanceledException)
        {
            return;
        }
#pragma warning disable CA1031 // a probe that fails in any way learnt nothing; the loop must go on
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogProbeFailed(logger, userId, ex.GetType().Name);
            result = ProbeResult.Inconclusive;
        }

        LogProbed(logger, userId, result);
        availability.ProbeAnswered(userId, result);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "IBKR availability probe for user {UserId}: {Result}")]
    private static partial void LogProbed(ILogger logger, string userId, ProbeResult result);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IBKR availability probe for user {UserId} failed ({Failure})")]
    private static partial void LogProbeFailed(ILogger logger, string userId, string failure);
}

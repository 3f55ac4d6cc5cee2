using Microsoft.Extensions.Options;
using Npgsql;
using OrderProcessor.Configuration;

namespace OrderProcessor.Execution;

/// <summary>
/// Listens (PostgreSQL LISTEN) for other instances releasing their leases on a clean stop, and wakes this instance's
/// status poller and broker worker, so the released users are held again within milliseconds rather than at the next
/// read of the users to follow. Only an accelerator: without it (the connection lost, a failover) the users are taken
/// at that next read, as before.
/// </summary>
public sealed partial class LeaseReleaseListener(
    IOptions<DatabaseOptions> database,
    LeaseReleaseSignal releases,
    BrokerWorkSignal work,
    TimeProvider timeProvider,
    ILogger<LeaseReleaseListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.Value.ConnectionString) { Pooling = false, KeepAlive = 15 };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                connection.Notification += (_, _) =>
                {
                    releases.Notify();
                    work.Notify();
                };
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {LeaseReleaseSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogListenFailed(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), timeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for released leases failed; listening again (meanwhile released users are taken at the next read)")]
    private partial void LogListenFailed(Exception exception);
}

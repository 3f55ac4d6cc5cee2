using Microsoft.EntityFrameworkCore;
using OrderProcessor.Persistence;

namespace OrderProcessor.Execution;

/// <summary>
/// Gives up this instance's user-session leases when it stops cleanly, so another instance (or this one restarted)
/// takes its users over at once instead of after a whole lease. Registered before the broker worker and the status
/// poller, so it stops after them: no call of this instance is under way any more when the leases go.
/// </summary>
public sealed partial class UserSessionLeaseRelease(
    IDbContextFactory<OrderProcessorDbContext> dbFactory,
    UserSessionOwnership ownership,
    ILogger<UserSessionLeaseRelease> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var released = await db.UserSessionLeases.Where(l => l.Owner == ownership.InstanceId).ExecuteDeleteAsync(cancellationToken);
            LogReleased(released, ownership.InstanceId);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The leases then simply run out.
            LogReleaseFailed(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Released {Count} user-session lease(s) of instance {InstanceId} on shutdown")]
    private partial void LogReleased(int count, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release this instance's user-session leases on shutdown; they run out on their own")]
    private partial void LogReleaseFailed(Exception exception);
}
